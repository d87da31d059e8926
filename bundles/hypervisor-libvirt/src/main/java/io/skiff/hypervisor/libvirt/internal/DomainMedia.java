package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The medium in a domain's media drive (the CD-ROM every domain defined since media drives exist has): inserted
 * or ejected in the running domain and its definition alike, or only in the definition of a stopped one. The
 * drive keeps its target, bus and boot order.
 */
final class DomainMedia {

    private static final Logger LOG = LoggerFactory.getLogger(DomainMedia.class);
    /** {@code VIR_DOMAIN_AFFECT_LIVE}, {@code VIR_DOMAIN_AFFECT_CONFIG}: the running domain, its definition */
    private static final int AFFECT_LIVE = 1;
    private static final int AFFECT_CONFIG = 2;
    /**
     * {@code VIR_DOMAIN_DEVICE_MODIFY_FORCE}: the tray is opened even when the guest has locked it (firmware probing
     * the drive, a mounted medium), so the operator's change is not at the guest's mercy; the medium is read-only.
     */
    private static final int MODIFY_FORCE = 4;
    /** {@code VIR_DOMAIN_XML_INACTIVE}: the persistent definition's XML. */
    private static final int XML_INACTIVE = 2;

    private final OwnedDomains domains;

    DomainMedia(OwnedDomains domains) {
        this.domains = domains;
    }

    /**
     * @param isoPath the medium to insert, or {@code null} to eject
     * @return whether the running domain was changed too (else only its definition)
     */
    boolean change(String instanceId, String isoPath) {
        String name = DomainXml.domainName(instanceId);
        boolean live = domains.withOwned(instanceId, (isoPath == null ? "ejecting the medium of" : "inserting "
                + isoPath + " into") + " domain " + name, d -> {
            boolean active = d.isActive() == 1;
            DomainDescription.MediaDrive drive = DomainDescription.mediaDrive(d.getXMLDesc(active ? 0 : XML_INACTIVE));
            if (drive == null) {
                throw SkiffException.conflict("media", "instance " + instanceId + " has no media drive"
                        + (active ? " while it runs (it was defined before media drives existed); stop it, "
                        + "and the drive is added with the medium" : ""));
            }
            d.updateDeviceFlags(DomainXml.mediaDrive(drive.target(), drive.bus(), isoPath, drive.bootOrder()),
                    active ? AFFECT_LIVE | AFFECT_CONFIG | MODIFY_FORCE : AFFECT_CONFIG);
            return active;
        });
        domains.forget(instanceId);
        LOG.info("Instance {}: media drive of domain {} {} ({})", instanceId, name,
                isoPath == null ? "ejected" : "holds " + isoPath, live ? "live and in the definition" : "definition");
        return live;
    }
}
