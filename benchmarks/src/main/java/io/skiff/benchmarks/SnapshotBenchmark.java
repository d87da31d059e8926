package io.skiff.benchmarks;

import io.skiff.api.model.Snapshot;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.snapshot.qcow2.internal.BenchmarkAccess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Snapshot create time on a running guest: the test guest (scripts/build-test-guest.sh) boots under QEMU on the
 * machine's libvirt (qemu:///system, TCG unless -Dbench.snapshot.kvm=true) from a qcow2 overlay, and Skiff's qcow2
 * snapshot provider (the one the Cell uses) takes N snapshots while it runs (disks and memory), then reverts to the
 * first and deletes one in the middle. The domain, its overlay and snapshots are removed afterwards.
 *
 * <p>Options: {@code bench.snapshots} (5), {@code bench.snapshot.memoryMiB} (256), {@code bench.guest.image}
 * (default: the newest ~/.cache/skiff/test-guest/&#42;/test-guest.qcow2), {@code bench.snapshot.dir}
 * ({@code benchmarks/target/snapshot-bench}, relative to where it runs: the project root with {@code mvn -f}).
 */
public final class SnapshotBenchmark {
    private static final String URI = "qemu:///system";

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.snapshots", 5);
        int memoryMiB = Integer.getInteger("bench.snapshot.memoryMiB", 256);
        Path dir = Path.of(System.getProperty("bench.snapshot.dir", "benchmarks/target/snapshot-bench")).toAbsolutePath();
        Files.createDirectories(dir);
        MachineInfo.print(dir, System.out);
        Path image = System.getProperty("bench.guest.image") != null ? Path.of(System.getProperty("bench.guest.image"))
                : newestTestGuest();
        String id = "bench-snap-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = "skiff-" + id;
        Path overlay = dir.resolve(id + ".qcow2");
        Path log = dir.resolve(id + ".log");
        Path xml = dir.resolve(id + ".xml");
        // a copy next to the overlay: libvirt's QEMU user must reach the backing file (the cache is under $HOME)
        Path base = dir.resolve(id + "-base.qcow2");
        Files.copy(image, base);
        run("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base.toString(), overlay.toString());
        Files.writeString(xml, "<domain type='" + (Boolean.getBoolean("bench.snapshot.kvm") ? "kvm" : "qemu") + "'>"
                + "<name>" + domain + "</name><memory unit='MiB'>" + memoryMiB + "</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os><features><acpi/></features>"
                + "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + overlay
                + "'/><target dev='vda' bus='virtio'/></disk><serial type='file'><source path='" + log + "'/>"
                + "<target port='0'/></serial></devices></domain>");
        System.out.printf(Locale.ROOT, "%nSnapshot benchmark: test guest %s, %d MiB, 1 vCPU, %s%n", image, memoryMiB,
                Boolean.getBoolean("bench.snapshot.kvm") ? "KVM" : "TCG");
        SnapshotProvider provider = BenchmarkAccess.provider(URI);
        try {
            run("virsh", "-q", "-c", URI, "define", xml.toString());
            run("virsh", "-q", "-c", URI, "start", domain);
            long boot = System.nanoTime();
            while (!Files.exists(log) || !Files.readString(log).contains("SKIFF-GUEST-READY")) {
                if (System.nanoTime() - boot > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("the guest did not boot within 5 minutes: " + log);
                }
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "guest ready after %.1f s%n", (System.nanoTime() - boot) / 1e9);
            List<Double> times = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                long t0 = System.nanoTime();
                Snapshot s = provider.create(id, "s" + i, "benchmark " + i);
                double ms = (System.nanoTime() - t0) / 1e6;
                times.add(ms);
                System.out.printf(Locale.ROOT, "  create %-4s (%s) %8.0f ms, overlay now %s%n", s.name(),
                        s.instanceState(), ms, size(overlay));
            }
            long t0 = System.nanoTime();
            int listed = provider.list(id).size();
            double listMs = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            provider.revert(id, "s1");
            double revertMs = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            provider.delete(id, "s" + Math.max(2, count / 2 + 1));
            double deleteMs = (System.nanoTime() - t0) / 1e6;
            List<Double> sorted = times.stream().sorted(Comparator.naturalOrder()).toList();
            System.out.printf(Locale.ROOT, "%nsnapshot create on a running guest (disks + %d MiB memory): median %.0f ms,"
                            + " min %.0f ms, max %.0f ms over %d%n", memoryMiB, sorted.get(sorted.size() / 2),
                    sorted.get(0), sorted.get(sorted.size() - 1), count);
            System.out.printf(Locale.ROOT, "list of %d: %.0f ms; revert to s1 (running): %.0f ms; delete a middle "
                    + "snapshot: %.0f ms%n", listed, listMs, revertMs, deleteMs);
        } finally {
            runQuiet("virsh", "-q", "-c", URI, "destroy", domain);
            runQuiet("virsh", "-q", "-c", URI, "undefine", domain, "--snapshots-metadata");
            Files.deleteIfExists(overlay);
            Files.deleteIfExists(base);
            Files.deleteIfExists(xml);
            Files.deleteIfExists(log);
        }
    }

    private static String size(Path file) throws IOException {
        return String.format(Locale.ROOT, "%.1f MiB", Files.size(file) / 1048576.0);
    }

    private static Path newestTestGuest() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "skiff", "test-guest");
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.map(d -> d.resolve("test-guest.qcow2")).filter(Files::exists)
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no test guest in " + cache
                            + "; run scripts/build-test-guest.sh or the VM system tests first"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no test guest in " + cache + "; run scripts/build-test-guest.sh first");
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static void runQuiet(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }
}
