package io.skiff.storage.local.internal;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;

/** The libvirt XML this backend writes (pool and volume definitions) and the few values it reads back. */
final class StorageXml {
    /** libvirt's own default for dir pools: QEMU can reach files whose names it knows, nobody can list them. */
    static final String POOL_MODE = "0711";
    /** Only root and, after libvirt relabels the file for a domain, QEMU read a disk. */
    static final String VOLUME_MODE = "0600";

    private StorageXml() {
    }

    static String dirPool(String name, String path) {
        return "<pool type='dir'>\n"
                + "  <name>" + escape(name) + "</name>\n"
                + "  <target>\n"
                + "    <path>" + escape(path) + "</path>\n"
                + "    <permissions>\n"
                + "      <mode>" + POOL_MODE + "</mode>\n"
                + "    </permissions>\n"
                + "  </target>\n"
                + "</pool>\n";
    }

    /**
     * A qcow2 volume: empty, or a linked clone (copy-on-write overlay) of {@code backingPath}.
     *
     * @param fileName the volume's file name in the pool ({@code <name>.qcow2})
     * @param backingPath the image the clone reads unchanged blocks from, or {@code null} for an empty volume
     * @param backingFormat format of the backing image ({@code qcow2} or {@code raw}); ignored without one
     */
    static String qcow2Volume(String fileName, long capacityBytes, String backingPath, String backingFormat) {
        StringBuilder xml = new StringBuilder()
                .append("<volume>\n")
                .append("  <name>").append(escape(fileName)).append("</name>\n")
                .append("  <capacity unit='bytes'>").append(capacityBytes).append("</capacity>\n")
                .append("  <allocation unit='bytes'>0</allocation>\n")
                .append("  <target>\n")
                .append("    <format type='qcow2'/>\n")
                .append("    <permissions>\n")
                .append("      <mode>").append(VOLUME_MODE).append("</mode>\n")
                .append("    </permissions>\n")
                .append("  </target>\n");
        if (backingPath != null) {
            xml.append("  <backingStore>\n")
                    .append("    <path>").append(escape(backingPath)).append("</path>\n")
                    .append("    <format type='").append(escape(backingFormat)).append("'/>\n")
                    .append("  </backingStore>\n");
        }
        return xml.append("</volume>\n").toString();
    }

    /** The {@code type} of a pool ({@code dir}, {@code netfs}, ...) from its XML description. */
    static String poolType(String poolXml) {
        return parse(poolXml).getDocumentElement().getAttribute("type");
    }

    /** The target directory of a pool from its XML description. */
    static String poolPath(String poolXml) {
        return childText(parse(poolXml).getDocumentElement(), "target", "path");
    }

    /** The format of a volume ({@code qcow2}, {@code raw}, ...) from its XML description, or {@code null}. */
    static String volumeFormat(String volumeXml) {
        Element target = child(parse(volumeXml).getDocumentElement(), "target");
        Element format = target == null ? null : child(target, "format");
        return format == null || format.getAttribute("type").isEmpty() ? null : format.getAttribute("type");
    }

    /** The backing image of a volume from its XML description, or {@code null} for a volume without one. */
    static String backingPath(String volumeXml) {
        return childText(parse(volumeXml).getDocumentElement(), "backingStore", "path");
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String childText(Element root, String parent, String name) {
        Element p = child(root, parent);
        Element e = p == null ? null : child(p, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("libvirt returned XML that does not parse: " + e.getMessage(), e);
        }
    }
}
