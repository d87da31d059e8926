package io.skiff.storage.local.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.Volume;
import io.skiff.storage.support.Qcow2Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend against <b>libvirt's test driver</b> ({@code test:///default}): an in-process fake hypervisor that keeps
 * pools and volumes in memory and touches no disk. It checks the libvirt calls, pool set-up, naming and error mapping;
 * the files themselves are checked by {@link LocalStorageBackendQemuSystemTest} against a real libvirtd. The test
 * driver does not implement volume resize, so growing is checked there too. Needs libvirt's client library (libvirt0).
 */
@Tag("libvirt-test-driver")
@DisplayName("LocalStorageBackend on the libvirt test driver (test:///default)")
class LocalStorageBackendTestDriverTest {
    private static final String URI = "test:///default";
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;
    private Connect connect; // keeps the test driver's in-memory state alive for the whole test
    private String poolName;
    private Path poolPath;
    private LocalStorageBackend backend;

    @BeforeEach
    void setUp() throws LibvirtException {
        connect = new Connect(URI);
        poolName = TestPools.uniqueName("skiff-td");
        poolPath = Path.of("/skiff-test-driver", poolName); // the test driver never creates it
        backend = new LocalStorageBackend(new LibvirtConnection(URI), poolName, poolPath, new QemuImg("qemu-img"));
    }

    @AfterEach
    void tearDown() throws LibvirtException {
        try {
            backend.deactivate();
            TestPools.remove(connect, poolName);
        } finally {
            connect.close();
        }
    }

    @Test
    void activationDefinesStartsAndAutostartsThePool() throws LibvirtException {
        StoragePool pool = connect.storagePoolLookupByName(poolName);
        assertEquals(1, pool.isActive());
        assertEquals(1, pool.isPersistent());
        assertTrue(pool.getAutostart());
        String xml = pool.getXMLDesc(0);
        assertEquals("dir", StorageXml.poolType(xml));
        assertEquals(poolPath.toString(), StorageXml.poolPath(xml));
    }

    @Test
    void activationKeepsAnExistingPoolAsItIs() throws LibvirtException {
        LocalStorageBackend second = new LocalStorageBackend(new LibvirtConnection(URI), poolName,
                Path.of("/elsewhere"), new QemuImg("qemu-img"));
        try {
            assertEquals(poolPath.toString(), StorageXml.poolPath(connect.storagePoolLookupByName(poolName).getXMLDesc(0)));
            assertEquals(List.of(), second.list(null));
        } finally {
            second.deactivate();
        }
    }

    @Test
    void createFindListDeleteAnEmptyVolume() {
        Volume created = backend.create(null, "vm-1-root", 64 * MIB, null);
        assertEquals(new Volume(poolName, "vm-1-root", poolPath + "/vm-1-root.qcow2", "qcow2", 64 * MIB,
                created.allocationBytes()), created);

        assertEquals(Optional.of(created), backend.find(poolName, "vm-1-root"));
        backend.create(poolName, "vm-0-data", MIB, null);
        assertEquals(List.of("vm-0-data", "vm-1-root"), backend.list(null).stream().map(Volume::name).toList());

        backend.delete(null, "vm-1-root");
        assertEquals(Optional.empty(), backend.find(null, "vm-1-root"));
        backend.delete(null, "vm-1-root"); // tolerated
        assertEquals(List.of("vm-0-data"), backend.list(poolName).stream().map(Volume::name).toList());
    }

    @Test
    void linkedCloneReferencesItsImageAndIsAtLeastItsSize() throws Exception {
        Path image = Qcow2Headers.write(tmp.resolve("debian.qcow2"), 32 * MIB);
        Volume clone = backend.create(null, "vm-2-root", MIB, image.toString());
        assertEquals(32 * MIB, clone.capacityBytes());
        String xml = connect.storagePoolLookupByName(poolName).storageVolLookupByName("vm-2-root.qcow2").getXMLDesc(0);
        assertEquals(image.toString(), StorageXml.backingPath(xml));
        assertTrue(xml.contains("<format type='qcow2'/>\n  </backingStore>"), xml);

        Volume bigger = backend.create(null, "vm-3-root", 100 * MIB, image.toString());
        assertEquals(100 * MIB, bigger.capacityBytes());
    }

    @Test
    void otherDirPoolsCanBeNamedUnknownOnesAreNotFound() {
        backend.list("default-pool"); // the test driver's own dir pool
        assertKind(Kind.NOT_FOUND, "storage pool 'no-such-pool' does not exist", () -> backend.list("no-such-pool"));
        assertKind(Kind.NOT_FOUND, "storage pool 'no-such-pool' does not exist",
                () -> backend.create("no-such-pool", "v", MIB, null));
    }

    @Test
    void aPoolTheCoreDefinesIsSetUpAtItsPathAndServed() throws LibvirtException {
        String defined = TestPools.uniqueName("skiff-td-defined");
        try {
            Path path = Path.of("/skiff-test-driver", defined);
            backend.definePool(defined, Map.of("path", path.toString()));
            backend.definePool(defined, Map.of("path", path.toString()));
            StoragePool pool = connect.storagePoolLookupByName(defined);
            assertEquals(1, pool.isActive());
            assertTrue(pool.getAutostart());
            assertEquals(path.toString(), StorageXml.poolPath(pool.getXMLDesc(0)));
            assertEquals(defined, backend.create(defined, "vm-9-root", MIB, null).pool());
            assertEquals(List.of("vm-9-root"), backend.list(defined).stream().map(Volume::name).toList());
            assertKind(Kind.CONFLICT, "is at " + path, () -> backend.definePool(defined, Map.of("path", "/other")));
            backend.check(defined, Map.of("path", "/anywhere")); // nothing to check for a local directory
        } finally {
            TestPools.remove(connect, defined);
        }
    }

    @Test
    void usageComesFromThePool() {
        var usage = backend.usage(null);
        assertTrue(usage.capacityBytes() > 0 && usage.availableBytes() > 0, usage.toString());
        assertEquals(usage.capacityBytes(), usage.allocationBytes() + usage.availableBytes());
    }

    @Test
    void refusalsNameTheVolume() throws IOException {
        backend.create(null, "vm-4", 2 * MIB, null);
        assertKind(Kind.CONFLICT, "volume 'vm-4' already exists in storage pool '" + poolName + "'",
                () -> backend.create(null, "vm-4", MIB, null));
        assertKind(Kind.INVALID, "volume name 'bad/name'", () -> backend.create(null, "bad/name", MIB, null));
        assertKind(Kind.INVALID, "volume 'vm-5' needs a positive capacity", () -> backend.create(null, "vm-5", 0, null));
        assertKind(Kind.NOT_FOUND, "backing image '/no/such/image.qcow2' does not exist",
                () -> backend.create(null, "vm-5", MIB, "/no/such/image.qcow2"));
        assertKind(Kind.INVALID, "cannot shrink from 2097152 to 1048576 bytes",
                () -> backend.resize(null, "vm-4", MIB));
        assertKind(Kind.NOT_FOUND, "volume 'vm-6' does not exist in storage pool '" + poolName + "'",
                () -> backend.resize(null, "vm-6", MIB));
        // the test driver has no virStorageVolResize: growing is tested against qemu:///system
        assertKind(Kind.UNAVAILABLE, "cannot resize volume 'vm-4' in storage pool '" + poolName + "'",
                () -> backend.resize(null, "vm-4", 4 * MIB));
        assertEquals(2 * MIB, backend.resize(null, "vm-4", 2 * MIB).capacityBytes()); // same size: nothing to do

        Path vmdk = Files.write(tmp.resolve("disk.vmdk"), "KDMV....".getBytes(StandardCharsets.US_ASCII));
        assertKind(Kind.INVALID, "is a vmdk image; only qcow2 and raw images are supported",
                () -> backend.importFile(null, "vm-7", vmdk));
        assertKind(Kind.NOT_FOUND, "image file '" + tmp.resolve("none.img") + "' does not exist",
                () -> backend.importFile(null, "vm-7", tmp.resolve("none.img")));
        assertKind(Kind.CONFLICT, "volume 'vm-4' already exists",
                () -> backend.importFile(null, "vm-4", Qcow2Headers.write(tmp.resolve("x.qcow2"), MIB)));
        assertEquals(Optional.empty(), backend.find(null, "vm-7"));
    }

    @Test
    void unreachableLibvirtIsUnavailableNotFatal() {
        LocalStorageBackend offline = new LocalStorageBackend(
                new LibvirtConnection("qemu+unix:///system?socket=/nonexistent/libvirt-sock"), "skiff-local",
                Path.of("/nonexistent"), new QemuImg("qemu-img"));
        assertKind(Kind.UNAVAILABLE, "is unreachable", () -> offline.create(null, "vm-1", MIB, null));
        offline.deactivate();
    }

    private static void assertKind(Kind kind, String messagePart, Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
