package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.spi.DomainSpec;
import io.skiff.libvirt.LibvirtErrors;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The persistent definitions of Skiff's domains: defining one from a {@link DomainSpec} ({@link DomainXml}, for
 * the chosen accelerator), redefining it with the UUID it has, undefining it with what libvirt keeps beside it
 * (managed save, snapshot metadata, UEFI variables), and its autostart flag.
 */
final class PersistentDomains {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentDomains.class);

    /** {@code VIR_DOMAIN_UNDEFINE_*}; libvirt-java 0.5.2 names only the first two */
    static final int UNDEFINE_MANAGED_SAVE = 1;
    static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
    static final int UNDEFINE_NVRAM = 4;

    private final OwnedDomains domains;
    private final Supplier<Accelerator> accelerator;
    private final BackingChain chains;

    /**
     * @param accelerator the accelerator domains are defined for; may wait for the choice to be made
     * @param chains reads the backing chains of network disks, spelt out in the domain XML
     */
    PersistentDomains(OwnedDomains domains, Supplier<Accelerator> accelerator, BackingChain chains) {
        this.domains = domains;
        this.accelerator = accelerator;
        this.chains = chains;
    }

    /** Defines the instance's domain, or redefines it keeping its UUID. */
    void define(DomainSpec spec) {
        domains.forget(spec.instanceId());
        DomainXml.checkInstanceId(spec.instanceId());
        String id = spec.instanceId();
        String name = DomainXml.domainName(id);
        // validates the spec (and reads network disks' backing chains, once) before anything is asked of libvirt
        Map<String, List<BackingChain.Layer>> read = new HashMap<>();
        BackingChain once = path -> read.computeIfAbsent(path, chains::below);
        DomainXml.write(spec, "qemu", null, once);
        Accelerator accel = accelerator.get();
        boolean redefined = domains.call(id, "defining domain " + name, c -> {
            String uuid = null;
            OwnedDomains.Owned existing = domains.lookupOwned(c, id);
            if (existing != null) {
                uuid = existing.description().uuid();
                existing.domain().free();
            }
            c.domainDefineXML(DomainXml.write(spec, accel.domainType(), uuid, once)).free();
            return existing != null;
        });
        LOG.info("Instance {}: domain {} {} ({}, {} vCPU, {} MiB)", id, name, redefined ? "redefined" : "defined",
                accel.name(), spec.cores(), spec.memoryBytes() / (1024 * 1024));
    }

    /** Removes the instance's domain (destroying it first if it runs); nothing when there is none. */
    void undefine(String instanceId) {
        domains.forget(instanceId);
        String name = DomainXml.domainName(instanceId);
        Boolean undefined = domains.call(instanceId, "undefining domain " + name, c -> {
            OwnedDomains.Owned owned = domains.lookupOwned(c, instanceId);
            if (owned == null) {
                return false;
            }
            Domain d = owned.domain();
            try {
                // undefining a running domain would leave it running as a transient one
                DomainPower.destroyIfActive(d);
                int flags = UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA
                        | (owned.description().uefi() ? UNDEFINE_NVRAM : 0);
                undefineWithFallback(d, flags);
                return true;
            } finally {
                d.free();
            }
        });
        if (undefined) {
            LOG.info("Instance {}: domain {} undefined", instanceId, name);
        }
    }

    /** Drivers that lack a flag (the test driver has no NVRAM) reject it: drop flags one by one. */
    static void undefineWithFallback(Domain d, int flags) throws LibvirtException {
        int[] attempts = {flags, flags & ~UNDEFINE_NVRAM, flags & UNDEFINE_MANAGED_SAVE, 0};
        LibvirtException last = null;
        int previous = -1;
        for (int attempt : attempts) {
            if (attempt == previous) {
                continue;
            }
            previous = attempt;
            try {
                if (attempt == 0) {
                    d.undefine();
                } else {
                    d.undefine(attempt);
                }
                return;
            } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_INVALID_ARG)
                        && !LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_SUPPORT)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Whether libvirt starts the domain when the host (libvirtd) starts. */
    void setAutostart(String instanceId, boolean autostart) {
        domains.withOwned(instanceId, (autostart ? "enabling" : "disabling") + " autostart of domain "
                + DomainXml.domainName(instanceId), d -> {
            d.setAutostart(autostart);
            return null;
        });
    }
}
