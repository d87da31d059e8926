package io.skiff.libvirt;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one way Skiff writes XML (domains, volumes, pools, snapshots): a StAX writer, so every name, path and
 * description is escaped by the XML library and never by string concatenation. It indents by two spaces, so that
 * the XML libvirt keeps (and admins read) is legible, writes no XML declaration and quotes attributes with
 * {@code "}. Attributes are given as name/value pairs. Not thread-safe: one writer per document.
 *
 * <pre>{@code
 * XmlWriter w = new XmlWriter();
 * w.start("pool", "type", "dir");
 * w.text("name", name);
 * w.end();
 * String xml = w.finish();
 * }</pre>
 */
public final class XmlWriter {
    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter xml;
    /** per open element: whether it has child elements (then its end tag goes on its own line) */
    private final Deque<boolean[]> open = new ArrayDeque<>();

    public XmlWriter() {
        try {
            // newDefaultFactory skips the factory lookup, which inside OSGi could find another bundle's writer
            this.xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("the JDK's StAX writer is not available", e);
        }
    }

    /** Opens an element; close it with {@link #end()}. */
    public XmlWriter start(String name, String... attributes) {
        try {
            newline();
            xml.writeStartElement(name);
            attributes(attributes);
            open.push(new boolean[]{false});
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** Opens an element in a namespace and declares the namespace on it; close it with {@link #end()}. */
    public XmlWriter startNamespaced(String prefix, String namespace, String name) {
        try {
            newline();
            xml.writeStartElement(prefix, name, namespace);
            xml.writeNamespace(prefix, namespace);
            open.push(new boolean[]{false});
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** An element without content: {@code <name a="b"/>}. */
    public XmlWriter empty(String name, String... attributes) {
        try {
            newline();
            xml.writeEmptyElement(name);
            attributes(attributes);
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** An element with text: {@code <name a="b">text</name>}. */
    public XmlWriter text(String name, String text, String... attributes) {
        try {
            newline();
            xml.writeStartElement(name);
            attributes(attributes);
            xml.writeCharacters(text);
            xml.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** An element with text in a namespace declared by an enclosing {@link #startNamespaced}. */
    public XmlWriter textNamespaced(String prefix, String namespace, String name, String text) {
        try {
            newline();
            xml.writeStartElement(prefix, name, namespace);
            xml.writeCharacters(text);
            xml.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** Closes the element opened last. */
    public XmlWriter end() {
        try {
            boolean[] hasChildren = open.pop();
            if (hasChildren[0]) {
                xml.writeCharacters("\n" + "  ".repeat(open.size()));
            }
            xml.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /**
     * @return the document, ending with a line break
     * @throws IllegalStateException when an element is still open
     */
    public String finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " element(s) not closed");
        }
        try {
            xml.writeCharacters("\n");
            xml.flush();
            xml.close();
            return out.toString();
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    private void newline() throws XMLStreamException {
        if (!open.isEmpty()) {
            open.peek()[0] = true;
            xml.writeCharacters("\n" + "  ".repeat(open.size()));
        }
    }

    private void attributes(String... attributes) throws XMLStreamException {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come as name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            xml.writeAttribute(attributes[i], attributes[i + 1]);
        }
    }

    private static IllegalStateException failed(XMLStreamException e) {
        return new IllegalStateException("cannot write XML: " + e.getMessage(), e);
    }
}
