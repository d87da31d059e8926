package io.skiff.hypervisor.libvirt.internal;

import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/**
 * libvirt's last error of the calling thread with libvirt's own numbers ({@code virErrorNumber},
 * {@code virErrorDomain}). libvirt-java 0.5.2 turns the number into its enum by position, and that enum lacks the
 * nwfilter codes (60 to 63) and ends at 79: from 60 on its names are off by four, and every code from 80 on —
 * {@code VIR_ERR_AGENT_UNRESPONSIVE} (86) among them — reads as {@code VIR_ERR_UNKNOWN}. Where Skiff tells such
 * errors apart it reads them here instead.
 * <p>
 * libvirt keeps the error per thread until the next libvirt call of that thread (each one, {@code virDomainFree}
 * too, starts by clearing it): read it on the thread of the failed call, before anything else is asked of libvirt.
 * libvirt-java reads it without clearing it, so a {@code LibvirtException} just caught still has it here.
 *
 * @param code libvirt's {@code virErrorNumber}, 0 when there is no error
 * @param domain libvirt's {@code virErrorDomain}: the part of libvirt that raised it
 * @param message libvirt's message, or {@code null}
 */
record LibvirtLastError(int code, int domain, String message) {

    /** {@code VIR_ERR_*} */
    static final int INTERNAL_ERROR = 1;
    static final int NO_SUPPORT = 3;
    static final int INVALID_ARG = 8;
    static final int ARGUMENT_UNSUPPORTED = 74;
    static final int AGENT_UNRESPONSIVE = 86;
    /** Among others: virtlockd's {@code Lockspace resource '...' is locked} (a lease another host holds). */
    static final int RESOURCE_BUSY = 87;
    static final int AGENT_UNSYNCED = 97;
    /** {@code VIR_FROM_QEMU} */
    static final int FROM_QEMU = 10;
    /** {@code VIR_FROM_LOCKSPACE}: virtlockd's lockspaces */
    static final int FROM_LOCKSPACE = 51;

    /**
     * @return whether this is virtlockd refusing a lease another domain holds: {@code resource busy: Lockspace
     *     resource '<key>' is locked}, code 87 from domain 51 (seen with libvirt 9.0)
     */
    boolean leaseHeld() {
        return code == RESOURCE_BUSY && domain == FROM_LOCKSPACE;
    }

    /** @return the calling thread's last libvirt error; code 0 when there is none */
    static LibvirtLastError read() {
        virError error = Libvirt.INSTANCE.virGetLastError();
        return error == null ? new LibvirtLastError(0, 0, null)
                : new LibvirtLastError(error.code, error.domain, error.message);
    }
}
