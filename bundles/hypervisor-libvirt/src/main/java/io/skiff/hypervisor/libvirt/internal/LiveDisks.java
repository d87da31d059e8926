package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.DiskAttachment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The disks of a running domain: attaching one (hot-plug, on the first free target of the profile's disk bus),
 * detaching one and waiting until the guest has released it, and growing one live. Only the running domain is
 * changed: its persistent definition is the Core's to write ({@link PersistentDomains#define}).
 */
final class LiveDisks {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDisks.class);
    /** {@code VIR_DOMAIN_AFFECT_LIVE}: the running domain only (the persistent definition comes from define). */
    private static final int AFFECT_LIVE = 1;
    /** {@code VIR_DOMAIN_BLOCK_RESIZE_BYTES}: the size is in bytes, not KiB. */
    private static final int BLOCK_RESIZE_BYTES = 1;
    private static final Duration RELEASE_POLL = Duration.ofMillis(500);

    private final OwnedDomains domains;
    private final BackingChain chains;

    /** @param chains reads the backing chain of a network disk attached live */
    LiveDisks(OwnedDomains domains, BackingChain chains) {
        this.domains = domains;
        this.chains = chains;
    }

    /** @return the target the guest sees the disk as (e.g. {@code vdb}) */
    String attach(String instanceId, DiskAttachment disk, DeviceProfile devices) {
        String name = DomainXml.domainName(instanceId);
        String target = domains.withOwned(instanceId, "attaching disk " + disk.path() + " to domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; define it with the disk");
            }
            Map<String, String> live = DomainDescription.diskSources(d.getXMLDesc(0));
            String[] xml = DomainXml.hotplugDisk(instanceId, disk, devices, live.keySet(), chains);
            d.attachDeviceFlags(xml[1], AFFECT_LIVE);
            return xml[0];
        });
        domains.forget(instanceId);
        LOG.info("Instance {}: disk {} attached live to domain {} as {}", instanceId, disk.path(), name, target);
        return target;
    }

    /** Detaches the disk whose source is {@code diskPath}; nothing when it is not attached (any more). */
    void detach(String instanceId, String diskPath, Duration timeout) {
        String name = DomainXml.domainName(instanceId);
        String target = domains.withOwned(instanceId, "detaching disk " + diskPath + " from domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; define it without the disk");
            }
            Map<String, String> live = DomainDescription.diskSources(d.getXMLDesc(0));
            String found = null;
            for (var e : live.entrySet()) {
                if (diskPath.equals(e.getValue())) {
                    found = e.getKey();
                }
            }
            if (found == null) {
                return null; // not attached (any more): nothing to do
            }
            String[] xml = DomainXml.hotplugDisk(instanceId, new DiskAttachment(diskPath, "qcow2", "disk", false),
                    new DeviceProfile("virtio", null, null, false, null, null), Set.of(), BackingChain.NONE);
            String withTarget = xml[1].replaceFirst("dev=\"[a-z]+\"", "dev=\"" + found + "\"");
            d.detachDeviceFlags(withTarget, AFFECT_LIVE);
            return found;
        });
        domains.forget(instanceId);
        if (target == null) {
            return;
        }
        // the guest releases the device (PCI unplug) in its own time; wait for it
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Boolean still = domains.withOwned(instanceId, "reading the disks of domain " + name, d ->
                    DomainDescription.diskSources(d.getXMLDesc(0)).containsValue(diskPath));
            if (!still) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw SkiffException.conflict("disk", "instance " + instanceId + ": the guest has not released disk "
                        + target + " within " + timeout.toSeconds() + " s (a guest without PCI hot-unplug support "
                        + "keeps it; stop the instance and remove the disk then)");
            }
            try {
                Thread.sleep(RELEASE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SkiffException.unavailable("interrupted while waiting for the guest to release disk " + target);
            }
        }
        LOG.info("Instance {}: disk {} ({}) detached live from domain {}", instanceId, diskPath, target, name);
    }

    /** Grows a disk of the running domain (QEMU resizes the image; the guest sees the new size). */
    void resize(String instanceId, String diskPath, long sizeBytes) {
        String name = DomainXml.domainName(instanceId);
        domains.withOwned(instanceId, "resizing disk " + diskPath + " of domain " + name, d -> {
            if (d.isActive() != 1) {
                throw SkiffException.conflict("instance", "domain " + name + " does not run; resize its volume");
            }
            // by target: libvirt finds a disk by its source only when that is a local file, not an nfs:// URL
            String target = null;
            for (var e : DomainDescription.diskSources(d.getXMLDesc(0)).entrySet()) {
                if (diskPath.equals(e.getValue())) {
                    target = e.getKey();
                }
            }
            d.blockResize(target == null ? diskPath : target, sizeBytes, BLOCK_RESIZE_BYTES);
            return null;
        });
        LOG.info("Instance {}: disk {} of domain {} grown live to {} bytes", instanceId, diskPath, name, sizeBytes);
    }
}
