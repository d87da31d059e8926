package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.model.Snapshot;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.libvirt.Domain;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots on a <b>real libvirtd with QEMU</b> ({@code qemu:///system}, TCG) and a real qcow2 volume: a running
 * domain (SeaBIOS without a bootable disk, which idles) is snapshotted with its memory, a stopped one without;
 * reverting to a running snapshot starts the domain again; deleting a middle snapshot keeps the one after it
 * revertible; the snapshots live inside the qcow2 file ({@code qemu-img snapshot -l}). Runs with
 * {@code -Dskiff.qemu.system=true} (set by this module's build; scripts/test.sh starts libvirtd). Leaves nothing.
 */
@EnabledIfSystemProperty(named = "skiff.qemu.system", matches = "true")
@DisplayName("Qcow2SnapshotProvider on qemu:///system")
class Qcow2SnapshotProviderQemuSystemTest {
    private final LibvirtConnection connection = new LibvirtConnection("qemu:///system");
    private final Qcow2SnapshotProvider provider = new Qcow2SnapshotProvider(connection);
    private final String id = "snapcheck-" + UUID.randomUUID().toString().substring(0, 8);
    private Path dir;
    private Path disk;

    @BeforeEach
    void defineDomain() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "skiff-snap-");
        dir.toFile().setExecutable(true, false);
        disk = dir.resolve("disk.qcow2");
        Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "64M")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        connection.call(c -> c.domainDefineXML("<domain type='qemu'><name>skiff-" + id + "</name>"
                + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                + "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                + "<source file='" + disk + "'/><target dev='vda' bus='virtio'/></disk>"
                + "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices></domain>"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            connection.call(c -> {
                Domain d = c.domainLookupByName("skiff-" + id);
                if (d.isActive() == 1) {
                    d.destroy();
                }
                for (String s : d.snapshotListNames()) {
                    d.snapshotLookupByName(s).delete(0);
                }
                d.undefine();
                return null;
            });
        } finally {
            connection.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void runningAndStoppedSnapshotsRevertAndSurviveAMiddleDelete() throws Exception {
        connection.call(c -> c.domainLookupByName("skiff-" + id).create());
        long t0 = System.nanoTime();
        Snapshot r1 = provider.create(id, "running-1", "with memory");
        System.out.println("snapshot of a running 64 MiB guest: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals("running", r1.instanceState());
        provider.create(id, "running-2", null);
        connection.call(c -> { c.domainLookupByName("skiff-" + id).destroy(); return null; });
        Snapshot s1 = provider.create(id, "stopped-1", null);
        assertEquals("stopped", s1.instanceState());
        assertEquals("running-2", s1.parentId());

        String internal = run("qemu-img", "snapshot", "-l", "-U", disk.toString());
        assertTrue(internal.contains("running-1") && internal.contains("running-2") && internal.contains("stopped-1"),
                "snapshots inside the qcow2 file:\n" + internal);

        provider.revert(id, "running-1");
        assertEquals(1, (int) connection.call(c -> c.domainLookupByName("skiff-" + id).isActive()),
                "a snapshot of a running guest resumes it");

        provider.delete(id, "running-2");
        List<Snapshot> left = provider.list(id);
        assertEquals(List.of("running-1", "stopped-1"), left.stream().map(Snapshot::name).toList());
        assertEquals("running-1", left.get(1).parentId());
        provider.revert(id, "stopped-1");
        assertEquals(0, (int) connection.call(c -> c.domainLookupByName("skiff-" + id).isActive()),
                "a snapshot of a stopped guest leaves it stopped");
        assertTrue(!run("qemu-img", "snapshot", "-l", "-U", disk.toString()).contains("running-2"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
