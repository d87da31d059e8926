package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.libvirt.LibvirtErrors;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Whether Skiff's domains run: start, a clean shutdown (ACPI, forced off after a timeout), destroy, and the state
 * of one domain. Each is idempotent: starting a running domain, or stopping a stopped one, is not an error, also
 * when another caller got there in between. A start that libvirt's lock manager refuses because another host holds
 * the domain's lease is a {@code CONFLICT} on field {@code lease}.
 */
final class DomainPower {

    private static final Logger LOG = LoggerFactory.getLogger(DomainPower.class);
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(250);

    private final OwnedDomains domains;

    DomainPower(OwnedDomains domains) {
        this.domains = domains;
    }

    void start(String instanceId) {
        String name = DomainXml.domainName(instanceId);
        boolean started = domains.withOwned(instanceId, "starting domain " + name, d -> {
            if (d.isActive() == 1) {
                return false;
            }
            try {
                d.create();
            } catch (LibvirtException e) {
                if (LibvirtLastError.read().leaseHeld()) {
                    throw leaseHeld(instanceId, e);
                }
                // it may have been started in between
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() == 1) {
                    return false;
                }
                throw e;
            }
            return true;
        });
        LOG.info("Instance {}: domain {} {}", instanceId, name, started ? "started" : "was already running");
    }

    /**
     * libvirt's lock manager refuses to start a domain whose lease another host's domain holds: the instance runs
     * (or is being started) elsewhere, and a second copy would write to the same disks.
     */
    private static SkiffException leaseHeld(String instanceId, LibvirtException e) {
        LOG.warn("Instance {}: start refused, another host holds the instance's lease: {}", instanceId,
                e.getMessage());
        return SkiffException.conflict("lease", "instance " + instanceId + ": not started, another host holds the"
                + " instance's lease (a copy of it runs there); libvirt: " + e.getMessage());
    }

    /**
     * Asks the guest to shut down and waits for the domain to be off; forces it off after {@code timeout}.
     *
     * @return whether it went off by itself (or was off already)
     */
    boolean shutdown(String instanceId, Duration timeout) {
        String name = DomainXml.domainName(instanceId);
        boolean asked = domains.withOwned(instanceId, "shutting down domain " + name, d -> {
            if (d.isActive() != 1) {
                return false;
            }
            try {
                d.shutdown();
            } catch (LibvirtException e) {
                if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() != 1) {
                    return false;
                }
                throw e;
            }
            return true;
        });
        if (!asked) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DomainState state = state(instanceId);
            if (state == DomainState.SHUT_OFF || state == DomainState.UNDEFINED || state == DomainState.CRASHED) {
                LOG.info("Instance {}: domain {} shut down", instanceId, name);
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(SHUTDOWN_POLL.toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LibvirtErrors.internal("instance " + instanceId + ": interrupted while waiting for domain "
                        + name + " to shut down", e);
            }
        }
        LOG.warn("Instance {}: domain {} did not shut down within {} s; forcing it off", instanceId, name,
                timeout.toSeconds());
        destroy(instanceId);
        return false;
    }

    /** Forces the domain off; nothing when there is none or it does not run. */
    void destroy(String instanceId) {
        String name = DomainXml.domainName(instanceId);
        Boolean destroyed = domains.withOwnedIfAny(instanceId, "destroying domain " + name,
                DomainPower::destroyIfActive);
        if (Boolean.TRUE.equals(destroyed)) {
            LOG.info("Instance {}: domain {} destroyed", instanceId, name);
        }
    }

    /** @return whether the domain was running and is now forced off */
    static boolean destroyIfActive(Domain d) throws LibvirtException {
        if (d.isActive() != 1) {
            return false;
        }
        try {
            d.destroy();
            return true;
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) && d.isActive() != 1) {
                return false;
            }
            throw e;
        }
    }

    /** @return the domain's state; {@code UNDEFINED} when there is none or a domain of its name is not Skiff's */
    DomainState state(String instanceId) {
        DomainXml.checkInstanceId(instanceId);
        return domains.call(instanceId, "reading the state of domain " + DomainXml.domainName(instanceId), c -> {
            Domain d = OwnedDomains.lookup(c, DomainXml.domainName(instanceId));
            if (d == null) {
                return DomainState.UNDEFINED;
            }
            try {
                if (!domains.describe(d).ownedBy(instanceId)) {
                    // a domain of that name that is not Skiff's: Skiff has none
                    return DomainState.UNDEFINED;
                }
                return OwnedDomains.stateOf(d);
            } finally {
                d.free();
            }
        });
    }
}
