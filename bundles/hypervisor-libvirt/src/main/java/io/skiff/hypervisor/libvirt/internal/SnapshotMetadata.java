package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.XmlDocuments;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.LibvirtException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * libvirt's metadata of a domain's snapshots (the {@code <domainsnapshot>} documents; the snapshots' data lives
 * inside the qcow2 disks), carried across a migration: libvirt refuses to migrate a domain that has snapshot
 * metadata ("cannot migrate domain with N snapshots"), so the source reads it ({@code virDomainSnapshotGetXMLDesc},
 * parents first, the current one marked), drops it ({@code VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY}), and the
 * domain that arrived redefines it ({@code VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE}, with {@code ..._CURRENT} for the
 * current one) — or the source again when the migration failed.
 *
 * @param xmls the snapshots' descriptions, parents before children
 * @param current the name of the current snapshot, or {@code null}
 */
record SnapshotMetadata(List<String> xmls, String current) {
    static final int LIST_TOPOLOGICAL = 1024;
    static final int DELETE_METADATA_ONLY = 2;
    static final int CREATE_REDEFINE = 1;
    static final int CREATE_CURRENT = 2;

    SnapshotMetadata {
        xmls = List.copyOf(xmls);
    }

    /** @return the domain's snapshot metadata, parents first */
    static SnapshotMetadata read(Domain d) throws LibvirtException {
        List<String> xmls = new ArrayList<>();
        for (String name : d.snapshotListNames(LIST_TOPOLOGICAL)) {
            DomainSnapshot s = d.snapshotLookupByName(name);
            try {
                xmls.add(s.getXMLDesc());
            } finally {
                s.free();
            }
        }
        String current = null;
        if (!xmls.isEmpty() && d.hasCurrentSnapshot() == 1) {
            DomainSnapshot s = d.snapshotCurrent();
            try {
                current = name(s.getXMLDesc());
            } finally {
                s.free();
            }
        }
        return new SnapshotMetadata(xmls, current);
    }

    boolean isEmpty() {
        return xmls.isEmpty();
    }

    /** Removes the metadata from the domain, children first; the snapshots inside the disks stay. */
    void dropFrom(Domain d) throws LibvirtException {
        for (int i = xmls.size() - 1; i >= 0; i--) {
            DomainSnapshot s = d.snapshotLookupByName(name(xmls.get(i)));
            try {
                s.delete(DELETE_METADATA_ONLY);
            } finally {
                s.free();
            }
        }
    }

    /** Redefines the metadata on the domain, parents first, each description rewritten for its host first. */
    void redefineOn(Domain d, UnaryOperator<String> rewrite) throws LibvirtException {
        for (String xml : xmls) {
            d.snapshotCreateXML(rewrite.apply(xml), createFlags(name(xml).equals(current))).free();
        }
    }

    static int createFlags(boolean current) {
        return CREATE_REDEFINE | (current ? CREATE_CURRENT : 0);
    }

    static String name(String snapshotXml) {
        return XmlDocuments.childText(XmlDocuments.root(snapshotXml), "name");
    }
}
