package io.skiff.core.internal.image;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Receives an uploaded image or medium: streams it to a partial file beside its target, counting and hashing as it
 * goes (never the whole file in memory), then checks it — the announced size (a shorter stream is a truncated
 * upload), the announced SHA-256, the announced format against the file's own magic — and only then renames it into
 * place. Whatever goes wrong, no partial file stays behind.
 *
 * <p>A qcow2 file that names a backing file is refused: it would make QEMU open a file of the host's choosing.
 */
public final class ImageUpload {
    static final Set<String> FORMATS = Set.of("qcow2", "raw", "iso");
    private static final int BUFFER = 1 << 20;

    /**
     * What the uploader announced.
     *
     * @param sizeBytes the file's size, or -1 when not announced (then {@code maxBytes} alone limits it)
     * @param sha256 the file's SHA-256 in hex, or {@code null}
     * @param format {@code qcow2}, {@code raw} or {@code iso}, or {@code null} to accept what the file is
     * @param maxBytes the largest upload accepted
     */
    public record Expected(long sizeBytes, String sha256, String format, long maxBytes) {
        public Expected {
            if (sha256 != null) {
                sha256 = sha256.toLowerCase(Locale.ROOT);
                if (!sha256.matches("[0-9a-f]{64}")) {
                    throw SkiffException.invalid("sha256", "a SHA-256 checksum is 64 hex digits");
                }
            }
            if (format != null && !FORMATS.contains(format)) {
                throw SkiffException.invalid("format", "format must be one of " + FORMATS.stream().sorted().toList());
            }
            if (sizeBytes > maxBytes) {
                throw SkiffException.invalid("sizeBytes", "at most " + maxBytes + " bytes can be uploaded");
            }
        }
    }

    /** Told how far the upload is, at most once per MiB. */
    @FunctionalInterface
    public interface Progress {
        void received(long bytes, long total);
    }

    private ImageUpload() {
    }

    /**
     * @param in the request body
     * @param target where the checked file ends up (replaced atomically)
     * @return the file's facts
     * @throws SkiffException {@code INVALID} naming the field at fault (truncated, too long, checksum, format)
     */
    public static ImageFiles.Facts receive(InputStream in, Path target, Expected expected, Progress progress)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest sha = sha256();
        long limit = expected.sizeBytes() >= 0 ? expected.sizeBytes() : expected.maxBytes();
        long received = 0;
        long reported = 0;
        boolean done = false;
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received += n;
                    if (received > limit) {
                        throw SkiffException.invalid(expected.sizeBytes() >= 0 ? "sizeBytes" : "content",
                                "the upload is longer than " + (expected.sizeBytes() >= 0
                                        ? "the announced " + expected.sizeBytes() + " bytes"
                                        : "the limit of " + expected.maxBytes() + " bytes"));
                    }
                    sha.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    if (received - reported >= BUFFER || received == expected.sizeBytes()) {
                        progress.received(received, expected.sizeBytes());
                        reported = received;
                    }
                }
            }
            if (expected.sizeBytes() >= 0 && received < expected.sizeBytes()) {
                throw SkiffException.invalid("content", "the upload is truncated: " + received + " of "
                        + expected.sizeBytes() + " bytes arrived");
            }
            if (received == 0) {
                throw SkiffException.invalid("content", "the upload is empty");
            }
            String digest = HexFormat.of().formatHex(sha.digest());
            if (expected.sha256() != null && !expected.sha256().equals(digest)) {
                throw SkiffException.invalid("sha256", "the upload's SHA-256 is " + digest + ", not the announced "
                        + expected.sha256());
            }
            String format = ImageFiles.format(partial);
            if (expected.format() != null && !expected.format().equals(format)
                    && !(expected.format().equals("raw") && format.equals("iso"))) {
                throw SkiffException.invalid("format", "the file is " + describe(format) + ", not "
                        + describe(expected.format()));
            }
            long virtual = received;
            if (format.equals("qcow2")) {
                checkQcow2(partial);
                virtual = ImageFiles.qcow2VirtualSize(partial);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return new ImageFiles.Facts(format, received, virtual, digest);
        } finally {
            if (!done) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** A qcow2 header: version 2 or 3, and no backing file (offset 8, 8 bytes; 0 = none). */
    private static void checkQcow2(Path file) throws IOException {
        byte[] header = new byte[72];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(header, 0, header.length) < header.length) {
                throw SkiffException.invalid("content", "the qcow2 header is incomplete");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        int version = b.getInt(4);
        if (version != 2 && version != 3) {
            throw SkiffException.invalid("content", "qcow2 version " + version + " is not supported (2 or 3)");
        }
        if (b.getLong(8) != 0) {
            throw SkiffException.invalid("content", "qcow2 images with a backing file are refused: upload a "
                    + "standalone image (qemu-img convert -O qcow2 in.qcow2 out.qcow2)");
        }
    }

    private static String describe(String format) {
        return switch (format) {
            case "iso" -> "an ISO 9660 image";
            case "qcow2" -> "a qcow2 image";
            default -> "a raw image";
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
