package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.model.Snapshot;
import io.skiff.libvirt.XmlDocuments;
import io.skiff.libvirt.XmlWriter;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.skiff.libvirt.XmlDocuments.child;
import static io.skiff.libvirt.XmlDocuments.childText;

/** libvirt's {@code <domainsnapshot>} and {@code <domain>} documents, as far as snapshots need them. */
final class SnapshotXml {
    private SnapshotXml() {
    }

    /** The request for a new snapshot: its name and description, everything else libvirt's defaults. */
    static String request(String name, String description) {
        XmlWriter w = new XmlWriter();
        w.start("domainsnapshot");
        w.text("name", name);
        if (description != null && !description.isEmpty()) {
            w.text("description", description);
        }
        w.end();
        return w.finish();
    }

    /** Reads a snapshot's description as libvirt gives it. */
    static Snapshot snapshot(String instanceId, String xml, boolean current) {
        Element root = XmlDocuments.root(xml);
        String name = childText(root, "name");
        Element parent = child(root, "parent");
        String created = childText(root, "creationTime");
        String state = childText(root, "state");
        return new Snapshot(name, instanceId, name, childText(root, "description"),
                parent == null ? null : childText(parent, "name"),
                created == null ? null : Instant.ofEpochSecond(Long.parseLong(created.trim())),
                "running".equals(state) || "paused".equals(state) ? "running" : "stopped", current);
    }

    /**
     * @return the disks of a domain on network storage ({@code target dev (protocol)}, e.g. {@code vda (nfs)}): libvirt
     *     snapshots them only while the domain runs (QEMU writes the snapshot; for a stopped domain libvirt would run
     *     {@code qemu-img} on a local file)
     */
    static List<String> networkDisks(String domainXml) {
        List<String> found = new ArrayList<>();
        for (Element disk : disks(domainXml)) {
            if ("network".equals(disk.getAttribute("type"))) {
                Element source = child(disk, "source");
                found.add(described(disk, source == null ? "network" : source.getAttribute("protocol")));
            }
        }
        return found;
    }

    /**
     * @return the writable disks of a domain that are not qcow2 ({@code target dev (format)}); those cannot be
     *     snapshotted internally
     */
    static List<String> disksWithoutSnapshots(String domainXml) {
        List<String> found = new ArrayList<>();
        for (Element disk : disks(domainXml)) {
            if (child(disk, "readonly") != null) {
                continue;
            }
            Element driver = child(disk, "driver");
            String format = driver == null ? "" : driver.getAttribute("type");
            if (!"qcow2".equals(format)) {
                found.add(described(disk, format.isEmpty() ? "unknown" : format));
            }
        }
        return found;
    }

    /** @return the domain's {@code <disk device='disk'>} elements (no CD-ROMs) */
    private static List<Element> disks(String domainXml) {
        List<Element> found = new ArrayList<>();
        Element devices = child(XmlDocuments.root(domainXml), "devices");
        if (devices != null) {
            NodeList disks = devices.getElementsByTagName("disk");
            for (int i = 0; i < disks.getLength(); i++) {
                Element disk = (Element) disks.item(i);
                if ("disk".equals(disk.getAttribute("device"))) {
                    found.add(disk);
                }
            }
        }
        return found;
    }

    /** {@code vda (what)} */
    private static String described(Element disk, String what) {
        Element target = child(disk, "target");
        return (target == null ? "?" : target.getAttribute("dev")) + " (" + what + ")";
    }
}
