package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.XmlDocuments;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

import static io.skiff.libvirt.XmlDocuments.child;
import static io.skiff.libvirt.XmlDocuments.children;

/**
 * What Skiff reads back from libvirt's XML of a domain: whose it is (the Skiff metadata tag), its UUID, the
 * device names to sample counters from, and whether it has UEFI variables to remove with it.
 *
 * @param instanceId the instance id of the Skiff metadata tag, or {@code null} when the domain is not Skiff's
 * @param displayName the display name of the tag, or {@code null}
 * @param uuid the domain's UUID
 * @param diskTargets target device names of the disks with a source (e.g. {@code vda})
 * @param interfaceTargets host-side names of the interfaces (e.g. {@code vnet3}; only while running)
 * @param uefi whether the domain boots UEFI firmware (and may have an NVRAM file)
 * @param vncPort the port of the VNC server (only in the live XML of a running domain), else -1
 * @param macs MAC addresses of the interfaces
 */
record DomainDescription(String instanceId, String displayName, String uuid, List<String> diskTargets,
                         List<String> interfaceTargets, boolean uefi, int vncPort, List<String> macs) {

    static DomainDescription parse(String domainXml) {
        Document doc = XmlDocuments.parse(domainXml);
        Element domain = doc.getDocumentElement();
        String instanceId = null;
        String displayName = null;
        Element metadata = child(domain, "metadata");
        if (metadata != null) {
            NodeList tags = metadata.getElementsByTagNameNS(DomainXml.NAMESPACE, "instance");
            if (tags.getLength() > 0) {
                Element tag = (Element) tags.item(0);
                instanceId = textOf(firstNS(tag, "id"));
                Element name = firstNS(tag, "name");
                displayName = name == null ? null : name.getTextContent();
            }
        }
        String uuid = textOf(child(domain, "uuid"));
        List<String> disks = new ArrayList<>();
        List<String> interfaces = new ArrayList<>();
        int vncPort = -1;
        List<String> macs = new ArrayList<>();
        Element devices = child(domain, "devices");
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                Element target = child(disk, "target");
                if (target != null && child(disk, "source") != null && !target.getAttribute("dev").isEmpty()) {
                    disks.add(target.getAttribute("dev"));
                }
            }
            for (Element graphics : children(devices, "graphics")) {
                if ("vnc".equals(graphics.getAttribute("type")) && graphics.getAttribute("port").matches("\\d{1,5}")) {
                    vncPort = Integer.parseInt(graphics.getAttribute("port"));
                }
            }
            for (Element nic : children(devices, "interface")) {
                Element mac = child(nic, "mac");
                if (mac != null && !mac.getAttribute("address").isEmpty()) {
                    macs.add(mac.getAttribute("address").toLowerCase(java.util.Locale.ROOT));
                }
                Element target = child(nic, "target");
                if (target != null && !target.getAttribute("dev").isEmpty()) {
                    interfaces.add(target.getAttribute("dev"));
                }
            }
        }
        boolean uefi = false;
        Element os = child(domain, "os");
        if (os != null) {
            uefi = "efi".equals(os.getAttribute("firmware")) || child(os, "nvram") != null
                    || (child(os, "loader") != null && "pflash".equals(child(os, "loader").getAttribute("type")));
        }
        return new DomainDescription(instanceId, displayName, uuid, List.copyOf(disks), List.copyOf(interfaces),
                uefi, vncPort, List.copyOf(macs));
    }

    /** @return the target names of the domain's disks that are not CD-ROMs (those QoS limits apply to) */
    static List<String> limitableDisks(String domainXml) {
        List<String> disks = new ArrayList<>();
        Element devices = child(XmlDocuments.parse(domainXml).getDocumentElement(), "devices");
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                Element target = child(disk, "target");
                if (target != null && "disk".equals(disk.getAttribute("device"))
                        && !target.getAttribute("dev").isEmpty()) {
                    disks.add(target.getAttribute("dev"));
                }
            }
        }
        return disks;
    }

    /** @return whether the domain carries Skiff's tag for the instance its name says */
    boolean ownedBy(String expectedInstanceId) {
        return expectedInstanceId.equals(instanceId);
    }

    /**
     * @return target name → source file, device or {@code nfs://} URL of every disk (also CD-ROMs; an empty drive
     *     maps to {@code ""}), in document order
     */
    static java.util.Map<String, String> diskSources(String domainXml) {
        Element domain = XmlDocuments.parse(domainXml).getDocumentElement();
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        Element devices = child(domain, "devices");
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                Element target = child(disk, "target");
                if (target == null) {
                    continue;
                }
                out.put(target.getAttribute("dev"), DiskSource.read(disk));
            }
        }
        return out;
    }

    /**
     * The media drive of a domain (the CD-ROM with alias {@link DomainXml#MEDIA_ALIAS}).
     *
     * @param target its target device, e.g. {@code hdb}
     * @param bus its bus
     * @param source the ISO it holds, or {@code null} when empty
     * @param bootOrder its {@code <boot order>}, or {@code null}
     */
    record MediaDrive(String target, String bus, String source, String bootOrder) {
    }

    /** @return the domain's media drive, or {@code null} when it has none */
    static MediaDrive mediaDrive(String domainXml) {
        Element domain = XmlDocuments.parse(domainXml).getDocumentElement();
        Element devices = child(domain, "devices");
        if (devices == null) {
            return null;
        }
        for (Element disk : children(devices, "disk")) {
            Element alias = child(disk, "alias");
            Element target = child(disk, "target");
            if (alias == null || target == null || !DomainXml.MEDIA_ALIAS.equals(alias.getAttribute("name"))) {
                continue;
            }
            Element source = child(disk, "source");
            String path = source == null || !source.hasAttribute("file") || source.getAttribute("file").isEmpty()
                    ? null : source.getAttribute("file");
            Element boot = child(disk, "boot");
            return new MediaDrive(target.getAttribute("dev"), target.getAttribute("bus"), path,
                    boot == null ? null : boot.getAttribute("order"));
        }
        return null;
    }

    private static Element firstNS(Element parent, String localName) {
        NodeList list = parent.getElementsByTagNameNS(DomainXml.NAMESPACE, localName);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String textOf(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
