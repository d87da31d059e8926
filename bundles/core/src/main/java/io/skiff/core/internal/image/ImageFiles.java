package io.skiff.core.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What the catalogue needs to know of an image file: its format, virtual size and checksum. */
public final class ImageFiles {
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    private static final byte[] ISO_MAGIC = {'C', 'D', '0', '0', '1'};

    private ImageFiles() {
    }

    /** Facts about a copied file. */
    public record Facts(String format, long sizeBytes, long virtualSizeBytes, String sha256) {
    }

    /** Copies {@code source} to {@code target} (via a temporary file and a rename), measuring as it goes. */
    public static Facts copy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha);
             OutputStream out = Files.newOutputStream(partial)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(target);
        String format = format(target);
        long virtual = format.equals("qcow2") ? qcow2VirtualSize(target) : size;
        return new Facts(format, size, virtual, HexFormat.of().formatHex(sha.digest()));
    }

    /** @return {@code qcow2}, {@code iso} (ISO 9660: "CD001" at byte 32769) or {@code raw} */
    static String format(Path file) throws IOException {
        byte[] head = new byte[32774];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && java.util.Arrays.equals(head, 0, 4, QCOW2_MAGIC, 0, 4)) {
            return "qcow2";
        }
        if (n >= 32774 && java.util.Arrays.equals(head, 32769, 32774, ISO_MAGIC, 0, 5)) {
            return "iso";
        }
        return "raw";
    }

    /** The qcow2 header holds the virtual size as a big-endian 64-bit number at offset 24. */
    static long qcow2VirtualSize(Path file) throws IOException {
        byte[] header = new byte[32];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(header, 0, 32) < 32) {
                return 0;
            }
        }
        return ByteBuffer.wrap(header, 24, 8).getLong();
    }
}
