package io.skiff.storage.nfs.internal;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NfsUrlsTest {

    @Test
    void aFileIsServerExportAndPath() {
        assertEquals("nfs://10.254.210.5/export/vm-1.qcow2", NfsUrls.file("10.254.210.5", "/export", "vm-1.qcow2"));
        assertEquals("nfs://nfs1/srv/nfs/images/debian.qcow2",
                NfsUrls.file("nfs1", "/srv/nfs", "images/debian.qcow2"));
        assertEquals("nfs://nfs1/vm-1.qcow2", NfsUrls.file("nfs1", "/", "vm-1.qcow2"));
    }

    @Test
    void anIpv6ServerStandsInBrackets() {
        assertEquals("nfs://[fd00::5]/export/vm-1.qcow2", NfsUrls.file("fd00::5", "/export", "vm-1.qcow2"));
    }

    @Test
    void onlyUrlsIntoTheSameExportHaveAPathInIt() {
        assertEquals(Optional.of("images/debian.qcow2"),
                NfsUrls.pathInExport("nfs://nfs1/export/images/debian.qcow2", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport("nfs://nfs2/export/x.qcow2", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport("nfs://nfs1/export2/x.qcow2", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport("nfs://nfs1/export/", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport("nfs://nfs1/export/x.qcow2?uid=0", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport("/var/lib/x.qcow2", "nfs1", "/export"));
        assertEquals(Optional.empty(), NfsUrls.pathInExport(null, "nfs1", "/export"));
    }
}
