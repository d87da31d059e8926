package io.skiff.storage.support;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an image file is, read from its header: qcow2 (with its virtual size and whether it has a backing file) or
 * raw. Other formats QEMU knows are recognised only to be refused, so a VMDK is not imported as a "raw" disk.
 * Reading the header ourselves keeps QEMU's format probing (unsafe on untrusted raw images) out of the way.
 *
 * @param format {@code qcow2}, {@code raw}, or the name of a format Skiff does not take
 * @param virtualSize the guest-visible size in bytes (the file size for raw)
 * @param hasBackingFile whether a qcow2 image is an overlay of another image
 */
public record ImageFormat(String format, long virtualSize, boolean hasBackingFile) {
    public static final String QCOW2 = "qcow2";
    public static final String RAW = "raw";
    private static final int QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

    public boolean isSupported() {
        return QCOW2.equals(format) || RAW.equals(format);
    }

    /**
     * The format of an image file a caller named, refused unless Skiff takes it.
     *
     * @param field the request field that named the file (for the error)
     * @param what what the file is to the caller ({@code backing image}, {@code image file})
     * @throws SkiffException INVALID when the path is relative, the file unreadable or of a format Skiff does not take;
     *     NOT_FOUND when there is no such file
     */
    public static ImageFormat read(Path file, String field, String what) {
        if (!file.isAbsolute()) {
            throw SkiffException.invalid(field, what + " '" + file + "' must be an absolute path");
        }
        if (!Files.isRegularFile(file)) {
            throw SkiffException.notFound(field, what, file.toString());
        }
        ImageFormat image;
        try {
            image = detect(file);
        } catch (IOException e) {
            throw SkiffException.invalid(field, "cannot read " + what + " '" + file + "': " + e.getMessage());
        }
        return image.requireSupported(field, what + " '" + file + "'");
    }

    /** @throws SkiffException INVALID (on {@code field}) unless this is a qcow2 or raw image */
    public ImageFormat requireSupported(String field, String what) {
        if (!isSupported()) {
            throw SkiffException.invalid(field, what + " is a " + format + " image; only qcow2 and raw images are "
                    + "supported");
        }
        return this;
    }

    public static ImageFormat detect(Path file) throws IOException {
        byte[] header = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(header, 0, header.length);
        }
        return detect(header, n, Files.size(file));
    }

    public static ImageFormat detect(byte[] header, int length, long fileSize) {
        ByteBuffer b = ByteBuffer.wrap(header, 0, length); // big-endian, as qcow2 is
        if (length >= 32 && b.getInt(0) == QCOW2_MAGIC) {
            if (b.getInt(4) < 2) {
                return new ImageFormat("qcow", fileSize, false); // version 1 shares the magic
            }
            long backingFileOffset = b.getLong(8);
            long size = b.getLong(24);
            return new ImageFormat(QCOW2, size, backingFileOffset != 0);
        }
        String other = foreignFormat(header, length);
        return new ImageFormat(other != null ? other : RAW, fileSize, false);
    }

    private static String foreignFormat(byte[] h, int length) {
        if (startsWith(h, length, 0, "KDMV") || startsWith(h, length, 0, "# Disk DescriptorFile")) {
            return "vmdk";
        }
        if (startsWith(h, length, 0, "vhdxfile")) {
            return "vhdx";
        }
        if (startsWith(h, length, 0, "conectix")) {
            return "vpc";
        }
        if (startsWith(h, length, 0, "QED\0")) {
            return "qed";
        }
        if (length >= 68 && (h[64] & 0xff) == 0x7f && (h[65] & 0xff) == 0x10 && (h[66] & 0xff) == 0xda
                && (h[67] & 0xff) == 0xbe) {
            return "vdi";
        }
        return null;
    }

    private static boolean startsWith(byte[] h, int length, int offset, String magic) {
        if (length < offset + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (h[offset + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
