package io.skiff.libvirt;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way Skiff reads the XML libvirt returns (domain, pool, volume and snapshot descriptions, capabilities):
 * the JDK's own DOM parser, namespace-aware, with DTDs and external entities off, and a few helpers to walk
 * libvirt's (namespace-less) elements. {@code newDefaultInstance} skips the factory lookup, which inside OSGi could
 * find another bundle's parser.
 */
public final class XmlDocuments {

    private XmlDocuments() {
    }

    /**
     * @throws IllegalArgumentException when the text is not well-formed XML (or declares a DTD)
     */
    public static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            // the default handler prints "[Fatal Error]" lines to stderr before throwing
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is not configurable", e);
        } catch (Exception e) {
            throw new IllegalArgumentException("libvirt returned XML that does not parse: " + e.getMessage(), e);
        }
    }

    /** @return the root element of the document */
    public static Element root(String xml) {
        return parse(xml).getDocumentElement();
    }

    /** @return the first child element of that name in no namespace, or {@code null} */
    public static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && isNamed(e, name)) {
                return e;
            }
        }
        return null;
    }

    /** @return the child elements of that name in no namespace, in document order */
    public static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && isNamed(e, name)) {
                found.add(e);
            }
        }
        return found;
    }

    /** @return the text of the first child element of that name, or {@code null} without one */
    public static String childText(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent();
    }

    private static boolean isNamed(Element e, String name) {
        return e.getNamespaceURI() == null && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName());
    }
}
