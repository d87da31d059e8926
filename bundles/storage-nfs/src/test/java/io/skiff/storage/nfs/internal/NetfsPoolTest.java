package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetfsPoolTest {
    private static final NfsSettings SETTINGS = NfsSettings.mount("10.254.210.5", "/export", "skiff-nfs",
            "test:///default", Path.of("/var/lib/skiff/nfs/skiff-nfs"));

    @Test
    void thePoolIsTheExportMountedAsNfsAtTheMountPath() {
        assertEquals("""
                <pool type="netfs">
                  <name>skiff-nfs</name>
                  <source>
                    <host name="10.254.210.5"/>
                    <dir path="/export"/>
                    <format type="nfs"/>
                  </source>
                  <target>
                    <path>/var/lib/skiff/nfs/skiff-nfs</path>
                    <permissions>
                      <mode>0711</mode>
                    </permissions>
                  </target>
                </pool>""", NetfsPool.xml("skiff-nfs", "10.254.210.5", "/export",
                Path.of("/var/lib/skiff/nfs/skiff-nfs")).strip());
    }

    @Test
    void aHostWithoutKernelNfsClientIsToldToUseLibnfs() {
        // libvirt 9.0 on a kernel without NFS (this machine): the error of virStoragePoolCreate
        SkiffException e = NetfsPool.failure(SETTINGS, SETTINGS.mountPath(), "internal error: Child process "
                + "(/usr/bin/mount -t nfs 10.254.210.5:/export /var/lib/skiff/nfs/skiff-nfs) unexpected exit status "
                + "32: mount.nfs: No such device");
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals("unsupported", e.code());
        assertNull(e.field());
        assertTrue(e.getMessage().contains("kernel has no NFS client"), e.getMessage());
        assertTrue(e.getMessage().contains("mode = libnfs"), e.getMessage());
    }

    @Test
    void aRefusedExportOrAnUnreachableServerNameTheirSetting() {
        assertEquals("export", NetfsPool.failure(SETTINGS, SETTINGS.mountPath(),
                "mount.nfs: access denied by server while mounting 10.254.210.5:/export").field());
        assertEquals("export", NetfsPool.failure(SETTINGS, SETTINGS.mountPath(), "mount.nfs: mounting "
                + "10.254.210.5:/nope failed, reason given by server: No such file or directory").field());
        SkiffException e = NetfsPool.failure(SETTINGS, SETTINGS.mountPath(), "mount.nfs: Connection timed out");
        assertEquals(Kind.INVALID, e.kind());
        assertEquals("server", e.field());
        assertEquals(Kind.UNAVAILABLE, NetfsPool.failure(SETTINGS, SETTINGS.mountPath(), "something else").kind());
    }

    @Test
    void onTheTestDriverThePoolIsDefinedStartedAndReused() {
        // test:///default mounts nothing: this checks define, build, start and autostart, not NFS
        LibvirtConnection libvirt = new LibvirtConnection("test:///default");
        try {
            NetfsPool pool = new NetfsPool(libvirt, SETTINGS);
            assertEquals(SETTINGS.mountPath(), pool.directory());
            assertEquals(SETTINGS.mountPath(), pool.mount());
            assertEquals(SETTINGS.mountPath(), new NetfsPool(libvirt, SETTINGS).mount());
        } finally {
            libvirt.close();
        }
    }

    @Test
    void aPoolOfAnotherTypeUnderThatNameIsAConflict() {
        LibvirtConnection libvirt = new LibvirtConnection("test:///default");
        try {
            // the test driver's own pool 'default-pool' is a dir pool
            NfsSettings taken = NfsSettings.mount("nfs1", "/export", "default-pool", "test:///default",
                    Path.of("/tmp/x"));
            SkiffException e = assertThrows(SkiffException.class, () -> new NetfsPool(libvirt, taken).mount());
            assertEquals(Kind.CONFLICT, e.kind());
            assertEquals("poolName", e.field());
        } finally {
            libvirt.close();
        }
    }
}
