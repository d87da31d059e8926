package io.skiff.storage.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Minimal qcow2 headers for tests that need an image file but no real QEMU. */
public final class Qcow2Headers {
    private Qcow2Headers() {
    }

    public static byte[] header(int version, long virtualSize, long backingFileOffset) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putInt(0, 0x514649fb);
        b.putInt(4, version);
        b.putLong(8, backingFileOffset);
        b.putInt(20, 16); // cluster_bits
        b.putLong(24, virtualSize);
        return b.array();
    }

    public static Path write(Path file, long virtualSize) throws IOException {
        return Files.write(file, header(3, virtualSize, 0));
    }
}
