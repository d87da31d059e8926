package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.libvirt.XmlDocuments;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
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
import java.util.List;
import java.util.Map;

/**
 * The XML a running domain is started with on the target of a migration: the source's migratable XML with every
 * file path that is called differently on the target replaced (an attribute whose whole value is such a path:
 * disk sources, the serial console's log), and the VNC server's listen address set to the target's. Everything else
 * (devices, their addresses, the MAC, the VNC password) stays, so libvirt finds the guest's ABI unchanged.
 */
final class MigrationXml {

    private MigrationXml() {
    }

    static String rewrite(String xml, Map<String, String> paths, String consoleListen) {
        return rewrite(xml, paths, consoleListen, null);
    }

    /**
     * The same for any document that holds a domain (a snapshot's {@code <domainsnapshot>}), and gives a VNC server
     * without a password the one given (libvirt describes a snapshot's domain without its secrets).
     */
    static String rewrite(String xml, Map<String, String> paths, String consoleListen, String consolePassword) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            replacePaths(doc.getDocumentElement(), paths);
            boolean listen = consoleListen != null && !consoleListen.isBlank();
            NodeList graphics = doc.getElementsByTagName("graphics");
            for (int i = 0; i < graphics.getLength(); i++) {
                Element g = (Element) graphics.item(i);
                if (consolePassword != null && "vnc".equals(g.getAttribute("type")) && !g.hasAttribute("passwd")) {
                    g.setAttribute("passwd", consolePassword);
                }
                if (listen) {
                    listenOn(g, consoleListen);
                }
            }
            StringWriter out = new StringWriter();
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "migration-xml",
                    "cannot rewrite the domain XML for the target: " + e.getMessage(), null);
        }
    }

    /** @return the VNC password of a domain described with its secrets, or {@code null} */
    static String consolePassword(String domainXml) {
        Element devices = XmlDocuments.child(XmlDocuments.root(domainXml), "devices");
        for (Element g : devices == null ? List.<Element>of() : XmlDocuments.children(devices, "graphics")) {
            if ("vnc".equals(g.getAttribute("type")) && g.hasAttribute("passwd")) {
                return g.getAttribute("passwd");
            }
        }
        return null;
    }

    private static void listenOn(Element graphics, String address) {
        if (graphics.hasAttribute("listen")) {
            graphics.setAttribute("listen", address);
        }
        NodeList listens = graphics.getElementsByTagName("listen");
        for (int j = 0; j < listens.getLength(); j++) {
            Element l = (Element) listens.item(j);
            if ("address".equals(l.getAttribute("type")) || l.hasAttribute("address")) {
                l.setAttribute("address", address);
            }
        }
    }

    private static void replacePaths(Element element, Map<String, String> paths) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node a = attributes.item(i);
            String replacement = paths.get(a.getNodeValue());
            if (replacement != null) {
                a.setNodeValue(replacement);
            }
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                replacePaths(child, paths);
            }
        }
    }
}
