package io.skiff.itests.multihost;

import io.skiff.itests.guest.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code nfs} storage backend against a real NFS server: the test bed's nfs-ganesha (NFSv3), reached from inside
 * bed host 1, where the server's address exists. Each operation runs the backend in a JVM of its own inside the host
 * ({@link NfsBackendCommand}: QEMU's NFS client through qemu-img, the Java NFS client for the rest), and the test
 * checks the files the server wrote in the exported directory, as the machine sees it. The {@code mount} mode is run
 * only to its error: this machine's kernel has no NFS client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NfsStorageIT {
    private static final long MIB = 1 << 20;
    private static final String POOL = "skiff-nfs";
    private static TestBed bed;
    private static Path work;
    private static Path export;
    private static String url;

    @BeforeAll
    static void up() throws IOException {
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes")).toAbsolutePath();
        work = nodes.resolve("nfs-storage");
        Path bedDir = nodes.resolve("bed-nfs-storage");
        // a bed keeps its directory (the export's files) after it is removed: start from an empty export
        deleteTree(bedDir);
        deleteTree(work);
        bed = TestBed.up(bedDir, 1, true);
        export = bed.nfsDirectory();
        url = "nfs://" + bed.nfsAddress() + bed.nfsExport() + "/";
        Files.createDirectories(work.resolve("cell-images"));
    }

    @AfterAll
    static void down() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void volumesAreCreatedClonedCopiedGrownListedAndDeletedOnTheExport() throws IOException {
        // an image as a cell has it cached: <image id>.qcow2 with data in its first MiB
        Path image = work.resolve("cell-images/7c1e-debian.qcow2");
        Commands.run(Duration.ofMinutes(1), "qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "32M")
                .orThrow();
        Commands.run(Duration.ofMinutes(1), "qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 0 1M", image.toString())
                .orThrow();

        Map<String, String> empty = volume(libnfs("create", "vm-1-disk0", Long.toString(64 * MIB)));
        assertEquals(url + "vm-1-disk0.qcow2", empty.get("path"));
        assertEquals(Long.toString(64 * MIB), empty.get("capacity"));
        assertEquals(64 * MIB, qcow2Size(export.resolve("vm-1-disk0.qcow2")));

        long started = System.nanoTime();
        Map<String, String> clone = volume(libnfs("create", "vm-2-disk0", Long.toString(16 * MIB), image.toString()));
        System.out.printf("[nfs-storage] first linked clone (image copied to the pool), with its JVM's start: %.2f s%n",
                (System.nanoTime() - started) / 1e9);
        assertEquals(Long.toString(32 * MIB), clone.get("capacity"), "never smaller than its image");
        Path cached = export.resolve("images/7c1e-debian.qcow2");
        assertTrue(Files.isRegularFile(cached), "the image is cached in the pool");
        assertNull(backingFile(cached), "the pool's copy stands alone");
        assertEquals(url + "images/7c1e-debian.qcow2", backingFile(export.resolve("vm-2-disk0.qcow2")),
                "a clone names its image by absolute nfs:// URL");

        started = System.nanoTime();
        volume(libnfs("create", "vm-3-disk0", "0", image.toString()));
        System.out.printf("[nfs-storage] second linked clone (image in the pool), with its JVM's start: %.2f s%n",
                (System.nanoTime() - started) / 1e9);
        assertEquals(List.of("7c1e-debian.qcow2"), names(export.resolve("images")), "one copy, no partial files");

        Map<String, String> copy = volume(libnfs("import", "vm-4-disk0", image.toString()));
        assertEquals(Long.toString(32 * MIB), copy.get("capacity"));
        assertNull(backingFile(export.resolve("vm-4-disk0.qcow2")), "a full copy has no backing file");
        assertEquals(0, Commands.run(Duration.ofMinutes(1), "qemu-img", "compare", "-f", "qcow2", "-F", "qcow2",
                image.toString(), export.resolve("vm-4-disk0.qcow2").toString()).exitCode(),
                "the copy reads as the image");

        Map<String, String> grown = volume(libnfs("resize", "vm-1-disk0", Long.toString(128 * MIB)));
        assertEquals(Long.toString(128 * MIB), grown.get("capacity"));
        assertEquals(128 * MIB, qcow2Size(export.resolve("vm-1-disk0.qcow2")));

        Files.writeString(export.resolve("notes.txt"), "an admin's file is no volume");
        assertEquals("volumes vm-1-disk0,vm-2-disk0,vm-3-disk0,vm-4-disk0", libnfs("list"));

        Map<String, String> usage = fields(libnfs("usage"), "usage");
        assertTrue(Long.parseLong(usage.get("capacity")) > 0, usage.toString());
        assertTrue(Long.parseLong(usage.get("available")) > 0, usage.toString());

        assertEquals("done", libnfs("delete", "vm-3-disk0"));
        assertEquals("done", libnfs("delete", "vm-3-disk0"), "a missing volume is no error");
        assertFalse(Files.exists(export.resolve("vm-3-disk0.qcow2")));
        assertEquals("none", libnfs("find", "vm-3-disk0"));
        assertEquals("vm-2-disk0", volume(libnfs("find", "vm-2-disk0")).get("name"));
        assertTrue(Files.exists(cached), "the pool's image outlives its clones");

        assertEquals(List.of("images", "notes.txt", "vm-1-disk0.qcow2", "vm-2-disk0.qcow2", "vm-4-disk0.qcow2"),
                names(export));
    }

    @Test
    @Order(2)
    void errorsNameTheRequestFieldOrTheSetting() {
        assertError(libnfs("create", "vm-1-disk0", "1048576"), "CONFLICT", "name");
        assertError(libnfs("resize", "vm-1-disk0", "1048576"), "INVALID", "capacityBytes");
        assertError(libnfs("resize", "vm-9-disk0", "1048576"), "NOT_FOUND", "name");
        assertError(libnfs("create", "../etc/x", "1048576"), "INVALID", "name");

        String unreachable = run(List.of("libnfs", "10.254.210.99", bed.nfsExport(), POOL, "list"));
        assertError(unreachable, "INVALID", "server");
        assertTrue(unreachable.contains("not reachable"), unreachable);

        String noExport = run(List.of("libnfs", bed.nfsAddress(), "/no-such-export", POOL, "list"));
        assertError(noExport, "INVALID", "export");
        assertTrue(noExport.contains("does not export '/no-such-export'"), noExport);
    }

    @Test
    @Order(3)
    void theMountModeSaysThatThisHostHasNoKernelNfsClient() {
        String mountPoint = work.resolve("mnt").toString();
        String answer = run(List.of("mount", bed.nfsAddress(), bed.nfsExport(), POOL, "qemu:///system", mountPoint,
                "list"));
        assertError(answer, "UNAVAILABLE", "null");
        assertTrue(answer.contains("kernel has no NFS client") && answer.contains("mode = libnfs"), answer);
        // the netfs pool is defined in host 1's own libvirtd, and not started
        String pools = bed.virsh(1, "pool-list", "--all").orThrow().stdout();
        assertTrue(pools.contains(POOL) && pools.contains("inactive"), pools);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // --- the backend inside host 1

    private static String libnfs(String... operation) {
        List<String> args = new ArrayList<>(List.of("libnfs", bed.nfsAddress(), bed.nfsExport(), POOL));
        args.addAll(List.of(operation));
        return run(args);
    }

    /** @return the one line {@link NfsBackendCommand} printed */
    private static String run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), NfsBackendCommand.class.getName()));
        command.addAll(args);
        Commands.Result r = bed.exec(1, command.toArray(String[]::new));
        List<String> lines = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || (r.exitCode() != 0 && !lines.get(lines.size() - 1).startsWith("error "))) {
            throw new IllegalStateException(r.describe());
        }
        return lines.get(lines.size() - 1);
    }

    private static Map<String, String> volume(String line) {
        return fields(line, "volume");
    }

    private static Map<String, String> fields(String line, String kind) {
        assertTrue(line.startsWith(kind + " "), line);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.substring(kind.length() + 1).split(" ")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return fields;
    }

    private static void assertError(String line, String kind, String field) {
        assertTrue(line.startsWith("error kind=" + kind + " field=" + field + " "), line);
    }

    // --- the files on the server

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The virtual size in a qcow2 header. */
    private static long qcow2Size(Path qcow2) throws IOException {
        return ByteBuffer.wrap(head(qcow2)).getLong(24);
    }

    /** The backing file named in a qcow2 header, or null. */
    private static String backingFile(Path qcow2) throws IOException {
        byte[] h = head(qcow2);
        ByteBuffer b = ByteBuffer.wrap(h);
        long offset = b.getLong(8);
        return offset == 0 ? null : new String(h, (int) offset, b.getInt(16), StandardCharsets.UTF_8);
    }

    private static byte[] head(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(4096);
        }
    }
}
