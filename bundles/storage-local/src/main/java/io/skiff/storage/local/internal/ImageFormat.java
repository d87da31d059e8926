package io.skiff.storage.local.internal;

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
record ImageFormat(String format, long virtualSize, boolean hasBackingFile) {
    static final String QCOW2 = "qcow2";
    static final String RAW = "raw";
    private static final int QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

    boolean isSupported() {
        return QCOW2.equals(format) || RAW.equals(format);
    }

    static ImageFormat detect(Path file) throws IOException {
        byte[] header = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(header, 0, header.length);
        }
        return detect(header, n, Files.size(file));
    }

    static ImageFormat detect(byte[] header, int length, long fileSize) {
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
