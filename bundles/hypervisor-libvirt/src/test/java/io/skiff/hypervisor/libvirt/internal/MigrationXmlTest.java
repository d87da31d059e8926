package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.spi.MigrationPlan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationXmlTest {
    private static final String SOURCE = """
            <domain type='qemu'>
              <name>skiff-i-1</name>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/a/volumes/skiff-i-1-disk0.qcow2'/>
                  <backingStore type='file'><source file='/a/images/img.qcow2'/></backingStore>
                  <target dev='vda' bus='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
                </disk>
                <disk type='network' device='disk'>
                  <source protocol='nfs' name='/export/skiff-i-1-disk1.qcow2'><host name='10.0.0.5'/></source>
                  <target dev='vdb' bus='virtio'/>
                </disk>
                <disk type='file' device='cdrom'><source file='/a/seeds/i-1-seed.iso'/><target dev='sda'/></disk>
                <serial type='file'><source path='/a/console/i-1.log'/></serial>
                <interface type='bridge'><mac address='52:54:00:aa:bb:cc'/></interface>
                <graphics type='vnc' port='5900' autoport='yes' listen='10.0.0.11' passwd='secret'>
                  <listen type='address' address='10.0.0.11'/>
                </graphics>
              </devices>
            </domain>""";

    @Test
    void theTargetsPathsAndConsoleAddressReplaceTheSourcesAndNothingElseChanges() {
        String xml = MigrationXml.rewrite(SOURCE, Map.of(
                "/a/volumes/skiff-i-1-disk0.qcow2", "/b/volumes/skiff-i-1-disk0.qcow2",
                "/a/seeds/i-1-seed.iso", "/b/seeds/i-1-seed.iso",
                "/a/console/i-1.log", "/b/console/i-1.log"), "10.0.0.12");
        assertTrue(xml.contains("<source file=\"/b/volumes/skiff-i-1-disk0.qcow2\"/>"), xml);
        assertTrue(xml.contains("<source file=\"/b/seeds/i-1-seed.iso\"/>"), xml);
        assertTrue(xml.contains("<source path=\"/b/console/i-1.log\"/>"), xml);
        assertFalse(xml.contains("/a/volumes") || xml.contains("/a/seeds") || xml.contains("/a/console"), xml);
        // a backing file that is not listed (the image, copied into the target's volume by the migration) and a
        // network disk on shared storage stay as they are
        assertTrue(xml.contains("<source file=\"/a/images/img.qcow2\"/>"), xml);
        assertTrue(xml.contains("name=\"/export/skiff-i-1-disk1.qcow2\""), xml);
        assertTrue(xml.contains("listen=\"10.0.0.12\"") && xml.contains("address=\"10.0.0.12\""), xml);
        assertFalse(xml.contains("10.0.0.11"), xml);
        // the guest's ABI: devices, their addresses, the MAC and the VNC password are kept
        assertTrue(xml.contains("slot=\"0x04\"") && xml.contains("52:54:00:aa:bb:cc")
                && xml.contains("passwd=\"secret\""), xml);
    }

    @Test
    void withoutRewritesOnlyTheConsoleAddressChanges() {
        String xml = MigrationXml.rewrite(SOURCE, Map.of(), null);
        assertEquals(2, xml.split("10.0.0.11", -1).length - 1, xml);
    }

    @Test
    void theFlagsOfALiveMigration() {
        assertEquals(1 | 2 | 8 | 4096, DomainMigration.flags(false), "live, peer to peer, persistent, abort on error");
        assertEquals(1 | 2 | 8 | 4096 | 64, DomainMigration.flags(true), "and a copy of the disks");
    }

    @Test
    void aPlanOverTlsAddsVirMigrateTls() {
        MigrationPlan clear = new MigrationPlan("qemu+tcp://b/system", Map.of(), "10.0.0.12", true, 0);
        MigrationPlan tls = new MigrationPlan("qemu+tcp://b/system", Map.of(), "10.0.0.12", true, 0, true);
        assertEquals(1 | 2 | 8 | 4096 | 64, DomainMigration.withTls(DomainMigration.flags(true), clear),
                "no TLS unless the plan asks");
        assertEquals(1 | 2 | 8 | 4096 | 64 | 65536, DomainMigration.withTls(DomainMigration.flags(true), tls),
                "VIR_MIGRATE_TLS = 1 << 16");
        assertEquals(2 | 8 | 4096 | 32 | 64 | 65536, DomainMigration.withTls(DomainMigration.coldFlags(true), tls),
                "a cold move's copy of the disks too");
    }

    @Test
    void theFlagsOfAColdMigration() {
        assertEquals(2 | 8 | 4096 | 32 | 64, DomainMigration.coldFlags(true),
                "peer to peer, persistent, abort on error, paused on the target, a copy of the disks; not live");
        assertEquals(2 | 8 | 4096 | 32, DomainMigration.coldFlags(false), "shared storage: no copy");
        assertEquals(1, DomainMigration.START_PAUSED, "VIR_DOMAIN_START_PAUSED");
    }

    @Test
    void aSnapshotsDomainGetsTheTargetsPathsAndTheConsolePasswordItWasDescribedWithout() {
        String snapshot = "<domainsnapshot><name>s1</name><parent><name>s0</name></parent><state>running</state>"
                + SOURCE.replace(" passwd='secret'", "") + "</domainsnapshot>";
        String xml = MigrationXml.rewrite(snapshot, Map.of("/a/console/i-1.log", "/b/console/i-1.log"), "10.0.0.12",
                MigrationXml.consolePassword(SOURCE));
        assertTrue(xml.startsWith("<domainsnapshot>") && xml.contains("<name>s0</name>"), xml);
        assertTrue(xml.contains("<source path=\"/b/console/i-1.log\"/>") && xml.contains("listen=\"10.0.0.12\""), xml);
        assertTrue(xml.contains("passwd=\"secret\""), xml);
        assertEquals("secret", MigrationXml.consolePassword(SOURCE));
        assertEquals(null, MigrationXml.consolePassword(SOURCE.replace(" passwd='secret'", "")));
    }

    @Test
    void aPasswordIsNeverReplaced() {
        String xml = MigrationXml.rewrite(SOURCE, Map.of(), null, "other");
        assertTrue(xml.contains("passwd=\"secret\"") && !xml.contains("other"), xml);
    }
}
