package io.skiff.hypervisor.libvirt.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Skiff reads from a host capabilities document. */
class CapabilitiesDescriptionTest {
    static final String XML = """
            <capabilities>
              <host>
                <uuid>5a1c2e7e-0000-4000-8000-000000000001</uuid>
                <cpu><arch>x86_64</arch></cpu>
              </host>
              <guest>
                <os_type>hvm</os_type>
                <arch name='x86_64'>
                  <machine>pc-i440fx-7.2</machine>
                  <machine canonical='pc-i440fx-7.2'>pc</machine>
                  <domain type='qemu'/>
                  <domain type='kvm'/>
                </arch>
              </guest>
            </capabilities>
            """;

    @Test
    void readsTheKvmDomainTypeTheMachinesAndTheHostUuid() {
        CapabilitiesDescription caps = CapabilitiesDescription.parse(XML);
        assertTrue(caps.kvmDomainType());
        assertEquals(List.of("pc-i440fx-7.2", "pc"), caps.machineTypes());
        assertEquals("5a1c2e7e-0000-4000-8000-000000000001", CapabilitiesDescription.hostUuid(XML));
        assertEquals("", CapabilitiesDescription.hostUuid("<capabilities/>"));
    }
}
