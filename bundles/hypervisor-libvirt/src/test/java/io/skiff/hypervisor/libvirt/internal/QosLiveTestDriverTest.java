package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.model.Qos;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.NicAttachment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interface bandwidth through {@code virDomainSetInterfaceParameters} ({@link DomainTuning}) against <b>libvirt's
 * test driver</b> ({@code test:///default}), which implements that call: the running domain and its definition get
 * the values. (The test driver refuses I/O limits without their {@code _max} twins, so disks are checked on
 * {@code qemu:///system} in {@link QosLiveQemuTest}.)
 * The test driver has no cgroup CPU shares: the answer says the CPU priority waits, the network part is live.
 */
@DisplayName("live QoS on the libvirt test driver (test:///default)")
class QosLiveTestDriverTest {

    private static final String URI = "test:///default";
    /** {@code VIR_DOMAIN_XML_INACTIVE} */
    private static final int XML_INACTIVE = 2;
    /** {@code VIR_ERR_INVALID_ARG} */
    private static final int INVALID_ARG = 8;

    private LibvirtHypervisor hypervisor;
    private Connect direct;
    private final String id = "q" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void open() throws Exception {
        direct = new Connect(URI, false); // keeps the test driver's state between the hypervisor's connections
        hypervisor = new LibvirtHypervisor();
        hypervisor.open(URI, "tcg", Duration.ofSeconds(5), NativeConnect.ENDPOINT);
    }

    @AfterEach
    void close() throws Exception {
        hypervisor.destroy(id);
        hypervisor.undefine(id);
        hypervisor.close();
        direct.close();
    }

    @Test
    @DisplayName("test driver: rx/tx averages reach the running interface and the definition, and are lifted again")
    void interfaceBandwidthLiveAndPersistent() throws Exception {
        DomainSpec spec = new DomainSpec(id, "qos", 1, 256L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO, List.of(),
                List.of(new NicAttachment("52:54:00:00:0a:01", "br0")), "/tmp/" + id + ".log");
        hypervisor.define(spec);
        hypervisor.start(id);

        List<String> applied = hypervisor.applyQosLive(id, new Qos("low", null, null, null, null, 800L, 400L));
        assertTrue(applied.stream().anyMatch(l -> l.startsWith("network limits on ")), applied.toString());
        assertTrue(applied.stream().noneMatch(l -> l.startsWith("next start: network")), applied.toString());
        org.libvirt.Domain d = direct.domainLookupByName(DomainXml.domainName(id));
        try {
            for (String xml : List.of(d.getXMLDesc(0), d.getXMLDesc(XML_INACTIVE))) {
                assertTrue(xml.contains("<inbound average='800'/>"), xml);
                assertTrue(xml.contains("<outbound average='400'/>"), xml);
            }

            // as the Core does: the definition without limits first, then the running domain (LIVE only: libvirt
            // would leave an empty <bandwidth> in the definition)
            hypervisor.define(spec);
            List<String> lifted = hypervisor.applyQosLive(id, Qos.DEFAULT);
            assertTrue(lifted.stream().noneMatch(l -> l.startsWith("next start: network")), lifted.toString());
            assertFalse(d.getXMLDesc(0).contains("average="), d.getXMLDesc(0));
            assertFalse(d.getXMLDesc(XML_INACTIVE).contains("<bandwidth"), d.getXMLDesc(XML_INACTIVE));
        } finally {
            d.free();
        }
    }

    @Test
    @DisplayName("test driver: both flags refused (INVALID_ARG), then per flag; a really unknown interface fails there")
    void unknownInterfaceFailsAfterThePerFlagRetry() throws Exception {
        DomainSpec spec = new DomainSpec(id, "qos", 1, 256L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO, List.of(),
                List.of(new NicAttachment("52:54:00:00:0a:02", "br0")), "/tmp/" + id + ".log");
        hypervisor.define(spec);
        hypervisor.start(id);
        org.libvirt.Domain d = direct.domainLookupByName(DomainXml.domainName(id));
        try {
            String uuid = d.getUUIDString();
            DomainTuning.TuningException refused = hypervisor.connection().call(c -> {
                try {
                    DomainTuning.setInterfaceBandwidth((NativeConnect) c, uuid, "52:54:00:99:99:99", 800, 400);
                    return null;
                } catch (DomainTuning.TuningException e) {
                    return e;
                }
            });
            assertTrue(refused != null, "an unknown interface is refused");
            assertEquals(INVALID_ARG, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().startsWith("virDomainSetInterfaceParameters on 52:54:00:99:99:99 failed: "),
                    refused.getMessage());
            assertFalse(d.getXMLDesc(0).contains("average="), "nothing changed");
            assertFalse(d.getXMLDesc(XML_INACTIVE).contains("average="), "nothing changed");
        } finally {
            d.free();
        }
    }

    @Test
    @DisplayName("typed parameters: one contiguous array, NUL-terminated names, UINT and ULLONG values")
    void typedParameters() {
        var params = DomainTuning.typed(Map.of("inbound.average", 5_000_000_000L), DomainTuning.TYPED_UINT);
        assertEquals(1, params.length);
        assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(params[0].value.i), "clamped to the UINT range");
        assertEquals("inbound.average", new String(params[0].field, 0, "inbound.average".length(),
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, params[0].field["inbound.average".length()]);
        var two = DomainTuning.typed(new java.util.LinkedHashMap<>(Map.of("read_bytes_sec", 7L)),
                DomainTuning.TYPED_ULLONG);
        assertEquals(7L, two[0].value.l);
        assertEquals(DomainTuning.TYPED_ULLONG, two[0].type);
        // 80-byte name + int type (+ padding) + 8-byte union: libvirt's sizeof(virTypedParameter)
        assertEquals(96, params[0].size());
    }
}
