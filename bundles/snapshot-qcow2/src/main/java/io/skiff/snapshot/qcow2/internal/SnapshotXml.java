package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.model.Snapshot;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** libvirt's {@code <domainsnapshot>} and {@code <domain>} documents, as far as snapshots need them. */
final class SnapshotXml {
    private SnapshotXml() {
    }

    /** The request for a new snapshot: its name and description, everything else libvirt's defaults. */
    static String request(String name, String description) {
        Document doc = newDocument();
        Element root = doc.createElement("domainsnapshot");
        doc.appendChild(root);
        Element n = doc.createElement("name");
        n.setTextContent(name);
        root.appendChild(n);
        if (description != null && !description.isEmpty()) {
            Element d = doc.createElement("description");
            d.setTextContent(description);
            root.appendChild(d);
        }
        try {
            StringWriter out = new StringWriter();
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a snapshot's description as libvirt gives it. */
    static Snapshot snapshot(String instanceId, String xml, boolean current) {
        Element root = parse(xml);
        String name = text(root, "name");
        Element parent = child(root, "parent");
        String created = text(root, "creationTime");
        String state = text(root, "state");
        return new Snapshot(name, instanceId, name, text(root, "description"),
                parent == null ? null : text(parent, "name"),
                created == null ? null : Instant.ofEpochSecond(Long.parseLong(created.trim())),
                "running".equals(state) || "paused".equals(state) ? "running" : "stopped", current);
    }

    /**
     * @return the writable disks of a domain that are not qcow2 ({@code target dev (format)}); those cannot be
     *     snapshotted internally
     */
    static List<String> disksWithoutSnapshots(String domainXml) {
        List<String> found = new ArrayList<>();
        Element devices = child(parse(domainXml), "devices");
        if (devices == null) {
            return found;
        }
        NodeList disks = devices.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            if (!"disk".equals(disk.getAttribute("device")) || child(disk, "readonly") != null) {
                continue;
            }
            Element driver = child(disk, "driver");
            String format = driver == null ? "" : driver.getAttribute("type");
            if (!"qcow2".equals(format)) {
                Element target = child(disk, "target");
                found.add((target == null ? "?" : target.getAttribute("dev")) + " (" + (format.isEmpty() ? "unknown" : format) + ")");
            }
        }
        return found;
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("libvirt returned XML that cannot be read: " + e.getMessage(), e);
        }
    }

    private static Document newDocument() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }
}
