package io.skiff.hypervisor.libvirt.internal;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libvirt's own error numbers, read after libvirt-java has thrown, on libvirt's test driver ({@code test:///default},
 * which has a running domain {@code test} with no snapshots).
 */
@DisplayName("libvirt's last error, with libvirt's numbers")
class LibvirtLastErrorTest {

    /** {@code VIR_ERR_NO_DOMAIN}, {@code VIR_ERR_NO_DOMAIN_SNAPSHOT} */
    private static final int NO_DOMAIN = 42;
    private static final int NO_DOMAIN_SNAPSHOT = 72;

    @Test
    @DisplayName("the failed call's number is still there after libvirt-java's exception, until the next call")
    void readAfterLibvirtJava() throws Exception {
        Connect c = new Connect("test:///default", false);
        try {
            LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainLookupByName("skiff-nothing"));
            assertEquals(NO_DOMAIN, LibvirtLastError.read().code());
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, e.getError().getCode(), "below 60 libvirt-java agrees");

            Domain d = c.domainLookupByName("test");
            assertEquals(0, LibvirtLastError.read().code(), "a libvirt call that works clears it");
            d.free();
        } finally {
            c.close();
        }
    }

    @Test
    @DisplayName("from 60 on libvirt-java's names are off (it lacks the nwfilter codes): the reason this class exists")
    void libvirtJavaMisnamesLaterCodes() throws Exception {
        Connect c = new Connect("test:///default", false);
        Domain d = c.domainLookupByName("test");
        try {
            LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotLookupByName("none"));
            assertEquals(NO_DOMAIN_SNAPSHOT, LibvirtLastError.read().code());
            assertNotEquals(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, e.getError().getCode(),
                    "libvirt-java 0.5.2 calls libvirt's 72 " + e.getError().getCode());
        } finally {
            d.free();
            c.close();
        }
    }

    @Test
    void aLeaseHeldElsewhereIsVirtlockdsBusyResourceOnly() {
        assertTrue(new LibvirtLastError(87, 51, "resource busy: Lockspace resource 'i-1' is locked").leaseHeld());
        assertFalse(new LibvirtLastError(87, 10, "resource busy").leaseHeld(), "busy, but not a lockspace");
        assertFalse(new LibvirtLastError(55, 51, "operation invalid").leaseHeld());
    }
}
