package io.skiff.storage.local.internal;

import io.skiff.libvirt.XmlDocuments;
import io.skiff.libvirt.XmlWriter;
import org.w3c.dom.Element;

/**
 * The libvirt XML this backend writes (pool and volume definitions, through Skiff's StAX {@link XmlWriter}) and the
 * few values it reads back.
 */
final class StorageXml {
    /** libvirt's own default for dir pools: QEMU can reach files whose names it knows, nobody can list them. */
    static final String POOL_MODE = "0711";
    /** Only root and, after libvirt relabels the file for a domain, QEMU read a disk. */
    static final String VOLUME_MODE = "0600";

    private StorageXml() {
    }

    static String dirPool(String name, String path) {
        XmlWriter w = new XmlWriter();
        w.start("pool", "type", "dir");
        w.text("name", name);
        w.start("target");
        w.text("path", path);
        w.start("permissions");
        w.text("mode", POOL_MODE);
        w.end();
        w.end();
        w.end();
        return w.finish();
    }

    /**
     * A qcow2 volume: empty, or a linked clone (copy-on-write overlay) of {@code backingPath}.
     *
     * @param fileName the volume's file name in the pool ({@code <name>.qcow2})
     * @param backingPath the image the clone reads unchanged blocks from, or {@code null} for an empty volume
     * @param backingFormat format of the backing image ({@code qcow2} or {@code raw}); ignored without one
     */
    static String qcow2Volume(String fileName, long capacityBytes, String backingPath, String backingFormat) {
        XmlWriter w = new XmlWriter();
        w.start("volume");
        w.text("name", fileName);
        w.text("capacity", Long.toString(capacityBytes), "unit", "bytes");
        w.text("allocation", "0", "unit", "bytes");
        w.start("target");
        w.empty("format", "type", "qcow2");
        w.start("permissions");
        w.text("mode", VOLUME_MODE);
        w.end();
        w.end();
        if (backingPath != null) {
            w.start("backingStore");
            w.text("path", backingPath);
            w.empty("format", "type", backingFormat);
            w.end();
        }
        w.end();
        return w.finish();
    }

    /** The {@code type} of a pool ({@code dir}, {@code netfs}, ...) from its XML description. */
    static String poolType(String poolXml) {
        return XmlDocuments.root(poolXml).getAttribute("type");
    }

    /** The target directory of a pool from its XML description. */
    static String poolPath(String poolXml) {
        return grandchildText(XmlDocuments.root(poolXml), "target", "path");
    }

    /** The format of a volume ({@code qcow2}, {@code raw}, ...) from its XML description, or {@code null}. */
    static String volumeFormat(String volumeXml) {
        Element target = XmlDocuments.child(XmlDocuments.root(volumeXml), "target");
        Element format = target == null ? null : XmlDocuments.child(target, "format");
        return format == null || format.getAttribute("type").isEmpty() ? null : format.getAttribute("type");
    }

    /** The backing image of a volume from its XML description, or {@code null} for a volume without one. */
    static String backingPath(String volumeXml) {
        return grandchildText(XmlDocuments.root(volumeXml), "backingStore", "path");
    }

    private static String grandchildText(Element root, String parent, String name) {
        Element p = XmlDocuments.child(root, parent);
        String text = p == null ? null : XmlDocuments.childText(p, name);
        return text == null ? null : text.trim();
    }
}
