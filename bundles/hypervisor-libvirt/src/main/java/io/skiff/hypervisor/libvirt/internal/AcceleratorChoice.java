package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Locale;

/**
 * Decides once between KVM and TCG after the {@code accel} setting and remembers the decision:
 * <ul>
 *   <li>{@code tcg}: TCG;</li>
 *   <li>{@code kvm}: KVM, or an error on every use when libvirt offers no {@code kvm} domain type;</li>
 *   <li>{@code auto}: KVM only when libvirt is QEMU's, offers the {@code kvm} domain type, a probe guest
 *       actually runs to its end under it ({@link AcceleratorProbe}) and does so faster than the same guest under
 *       TCG; TCG otherwise.</li>
 * </ul>
 * When libvirtd cannot be reached the decision is left open and taken at the next use. Thread-safe: callers wait
 * while a probe runs. A probe's decision is remembered ({@link RememberedAccelerator}) for this host and QEMU
 * version, and taken from there at the next start instead of probing again.
 */
final class AcceleratorChoice {

    private static final Logger LOG = LoggerFactory.getLogger(AcceleratorChoice.class);

    /** What the decision needs to know about the host. */
    interface Host {
        /** @return libvirt's driver name, e.g. {@code QEMU} or {@code Test} */
        String driver();

        CapabilitiesDescription capabilities();

        /** Boots the probe guest under a domain type ({@code kvm} or {@code qemu}). */
        AcceleratorProbe.Result probe(String domainType);

        /** @return what a probe's decision holds for: this host (libvirt's host UUID) and its QEMU version */
        String identity();
    }

    private final String mode;
    private final String uri;
    private final Host host;
    private final RememberedAccelerator memory;
    private final Clock clock;
    private Accelerator decided;

    /** Without a memory: every instance probes (tests). */
    AcceleratorChoice(String mode, String uri, Host host) {
        this(mode, uri, host, new RememberedAccelerator(null), Clock.systemUTC());
    }

    /** @param memory where a probe's decision is kept for the next start */
    AcceleratorChoice(String mode, String uri, Host host, RememberedAccelerator memory, Clock clock) {
        this.mode = mode == null ? "auto" : mode.strip().toLowerCase(Locale.ROOT);
        if (!this.mode.equals("auto") && !this.mode.equals("kvm") && !this.mode.equals("tcg")) {
            throw SkiffException.invalid("accel", "accel must be auto, kvm or tcg, not '" + mode + "'");
        }
        this.uri = uri;
        this.host = host;
        this.memory = memory;
        this.clock = clock;
    }

    /**
     * @return the accelerator, deciding first if needed
     * @throws SkiffException {@code UNAVAILABLE} when libvirtd cannot be reached yet, or when {@code accel=kvm}
     *                        and the host has no KVM
     */
    synchronized Accelerator get() {
        if (decided == null) {
            decided = decide();
            LOG.info("Accelerator for libvirt at {}: {} (accel={}; {})", uri, decided.name(), mode, decided.reason());
        }
        return decided;
    }

    /** @return the decision, or {@code null} while none is taken (never waits) */
    Accelerator peek() {
        synchronized (this) {
            return decided;
        }
    }

    private Accelerator decide() {
        switch (mode) {
            case "tcg":
                return Accelerator.tcg("set by accel=tcg");
            case "kvm":
                if (!host.capabilities().kvmDomainType()) {
                    throw SkiffException.unavailable("accel=kvm, but libvirt at " + uri
                            + " offers no kvm domain type (no /dev/kvm?); set accel=auto or accel=tcg");
                }
                return Accelerator.kvm("set by accel=kvm");
            default:
                break;
        }
        String driver = host.driver();
        if (!"QEMU".equalsIgnoreCase(driver)) {
            return Accelerator.tcg("libvirt driver " + driver + " is not QEMU's; no probe");
        }
        if (!host.capabilities().kvmDomainType()) {
            return Accelerator.tcg("libvirt offers no kvm domain type (no /dev/kvm)");
        }
        String identity = host.identity();
        Accelerator remembered = memory.recall(identity);
        if (remembered != null) {
            return remembered;
        }
        Accelerator probed = probe();
        memory.remember(identity, probed, clock.instant().toString());
        return probed;
    }

    /** Boots the probe guest under KVM, and under TCG to compare. */
    private Accelerator probe() {
        AcceleratorProbe.Result kvm = host.probe("kvm");
        if (!kvm.works()) {
            return Accelerator.tcg("a KVM probe guest did not run: " + kvm.reason() + " (" + kvm.took().toMillis()
                    + " ms)");
        }
        // Nested KVM without hardware help runs guests, but slower than TCG, and real kernels then crawl
        // (seen on Skiff's test machines): KVM must at least beat TCG on the same guest.
        AcceleratorProbe.Result tcg = host.probe("qemu");
        if (!tcg.works()) {
            return Accelerator.kvm("a KVM probe guest ran in " + kvm.took().toMillis()
                    + " ms; no TCG run to compare with (" + tcg.reason() + ")");
        }
        String times = "KVM " + kvm.took().toMillis() + " ms, TCG " + tcg.took().toMillis() + " ms";
        return kvm.took().compareTo(tcg.took()) < 0
                ? Accelerator.kvm("a KVM probe guest ran, faster than under TCG (" + times + ")")
                : Accelerator.tcg("a KVM probe guest ran, but not faster than under TCG (" + times
                        + "): KVM without working hardware acceleration, e.g. nested");
    }
}
