package io.skiff.storage.local.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The XML given to libvirt, compared whole (as Skiff's StAX writer writes it: attributes in double quotes), and the
 * values read back from XML as libvirt 9 writes it.
 */
class StorageXmlTest {

    @Test
    void emptyQcow2Volume() {
        assertEquals("""
                <volume>
                  <name>vm-1-root.qcow2</name>
                  <capacity unit="bytes">10737418240</capacity>
                  <allocation unit="bytes">0</allocation>
                  <target>
                    <format type="qcow2"/>
                    <permissions>
                      <mode>0600</mode>
                    </permissions>
                  </target>
                </volume>
                """, StorageXml.qcow2Volume("vm-1-root.qcow2", 10737418240L, null, null));
    }

    @Test
    void linkedCloneIsTheSameVolumeWithABackingStore() {
        String empty = StorageXml.qcow2Volume("vm-2-root.qcow2", 2147483648L, null, null);
        assertEquals(empty.replace("</volume>\n", """
                  <backingStore>
                    <path>/var/lib/skiff/images/debian-12 &amp; &lt;friends&gt;.qcow2</path>
                    <format type="qcow2"/>
                  </backingStore>
                </volume>
                """), StorageXml.qcow2Volume("vm-2-root.qcow2", 2147483648L,
                "/var/lib/skiff/images/debian-12 & <friends>.qcow2", "qcow2"));
    }

    @Test
    void dirPool() {
        assertEquals("""
                <pool type="dir">
                  <name>skiff-local</name>
                  <target>
                    <path>/opt/skiff/data/skiff/volumes</path>
                    <permissions>
                      <mode>0711</mode>
                    </permissions>
                  </target>
                </pool>
                """, StorageXml.dirPool("skiff-local", "/opt/skiff/data/skiff/volumes"));
    }

    @Test
    void readsPoolTypeAndPath() {
        String xml = """
                <pool type='dir'>
                  <name>default-pool</name>
                  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
                  <capacity unit='bytes'>107374182400</capacity>
                  <source>
                  </source>
                  <target>
                    <path>/default-pool</path>
                  </target>
                </pool>
                """;
        assertEquals("dir", StorageXml.poolType(xml));
        assertEquals("/default-pool", StorageXml.poolPath(xml));
        assertEquals("netfs", StorageXml.poolType("<pool type='netfs'><name>n</name></pool>"));
    }

    @Test
    void readsVolumeFormatAndBackingStore() {
        String xml = """
                <volume type='file'>
                  <name>a.qcow2</name>
                  <key>/default-pool/a.qcow2</key>
                  <capacity unit='bytes'>1048576</capacity>
                  <target>
                    <path>/default-pool/a.qcow2</path>
                    <format type='qcow2'/>
                  </target>
                  <backingStore>
                    <path>/images/base.qcow2</path>
                    <format type='raw'/>
                  </backingStore>
                </volume>
                """;
        assertEquals("qcow2", StorageXml.volumeFormat(xml));
        assertEquals("/images/base.qcow2", StorageXml.backingPath(xml));
        assertNull(StorageXml.backingPath("<volume><name>b</name><target><format type='raw'/></target></volume>"));
        assertNull(StorageXml.volumeFormat("<volume><name>b</name><target/></volume>"));
    }
}
