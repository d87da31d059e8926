package io.skiff.benchmarks;

import io.skiff.api.spi.Volume;
import io.skiff.storage.local.internal.LocalStorageConfig;
import io.skiff.storage.local.internal.LocalStorageBackend;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Instances from an image, on the real storage provider (skiff-storage-local on libvirt qemu:///system, a directory
 * pool of its own under {@code skiff.bench.dir}): the time of a linked clone (a qcow2 overlay whose backing file is
 * the image) for a 100 MiB and a 2 GiB image — it must not grow with the image — and the throughput of a full copy
 * ({@code qemu-img convert} into the pool). The images are qcow2 files full of non-zero data, so a full copy really
 * moves every byte. Options: {@code skiff.bench.clones} (linked clones per image, default 20),
 * {@code skiff.bench.bigImageMib} (default 2048).
 */
public final class ImageCloneBenchmark {
    private ImageCloneBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("skiff.bench.dir", "target/benchmark-data")).toAbsolutePath()
                .resolve("images-" + UUID.randomUUID().toString().substring(0, 8));
        int clones = Integer.getInteger("skiff.bench.clones", 20);
        long bigMib = Long.getLong("skiff.bench.bigImageMib", 2048);
        String pool = "skiff-bench-images-" + UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(dir);
        MachineInfo.print(dir, System.out);
        LocalStorageBackend storage = null;
        List<String> volumes = new ArrayList<>();
        try {
            storage = new LocalStorageBackend(ScaleSimulation.config(LocalStorageConfig.class, Map.of(
                    "uri", "qemu:///system", "poolName", pool, "path", dir.resolve("pool").toString())));
            System.out.printf("%-28s %12s %12s %12s%n", "image", "linked min", "linked mean", "full copy");
            for (long mib : new long[] {100, bigMib}) {
                Path image = image(dir, mib);
                double[] times = new double[clones];
                for (int i = 0; i < clones; i++) {
                    String name = "skiff-bench-" + mib + "-linked-" + i;
                    long t0 = System.nanoTime();
                    storage.create(null, name, 0, image.toString());
                    times[i] = (System.nanoTime() - t0) / 1e6;
                    volumes.add(name);
                }
                String full = "skiff-bench-" + mib + "-full";
                long t0 = System.nanoTime();
                Volume copy = storage.importFile(null, full, image);
                double seconds = (System.nanoTime() - t0) / 1e9;
                volumes.add(full);
                System.out.printf("%-28s %9.1f ms %9.1f ms %7.2f s = %6.0f MiB/s%n",
                        mib + " MiB qcow2 (" + Files.size(image) / (1 << 20) + " MiB file)",
                        Arrays.stream(times).min().orElse(0), Arrays.stream(times).average().orElse(0), seconds,
                        mib / seconds);
                if (copy.capacityBytes() < mib << 20) {
                    throw new IllegalStateException("the copy is smaller than the image: " + copy);
                }
            }
        } finally {
            if (storage != null) {
                for (String v : volumes) {
                    storage.delete(null, v);
                }
            }
            run("virsh", "-q", "-c", "qemu:///system", "pool-destroy", pool);
            run("virsh", "-q", "-c", "qemu:///system", "pool-undefine", pool);
            run("rm", "-rf", dir.toString());
        }
    }

    /** A qcow2 image of {@code mib} MiB, every cluster written with non-zero data. */
    private static Path image(Path dir, long mib) throws IOException, InterruptedException {
        Path raw = dir.resolve("image-" + mib + ".raw");
        byte[] block = new byte[1 << 20];
        new Random(mib).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(raw)) {
            for (long i = 0; i < mib; i++) {
                block[0] = (byte) i;
                block[1] = (byte) (i >> 8);
                block[2] = 1;
                out.write(block);
            }
        }
        Path qcow2 = dir.resolve("image-" + mib + ".qcow2");
        run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
        Files.delete(raw);
        qcow2.toFile().setReadable(true, false);
        return qcow2;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 && !command[0].equals("virsh")) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
    }
}
