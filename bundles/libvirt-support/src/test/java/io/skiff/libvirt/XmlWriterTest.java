package io.skiff.libvirt;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one XML writer: indentation, escaping by StAX, namespaces; and the reader's helpers on what it wrote. */
class XmlWriterTest {

    @Test
    void indentsNestedElementsAndKeepsLeafElementsOnOneLine() {
        XmlWriter w = new XmlWriter();
        w.start("pool", "type", "dir");
        w.text("name", "p");
        w.start("target");
        w.empty("format", "type", "qcow2");
        w.end();
        w.start("source");
        w.end();
        w.end();
        assertEquals("""
                <pool type="dir">
                  <name>p</name>
                  <target>
                    <format type="qcow2"/>
                  </target>
                  <source></source>
                </pool>
                """, w.finish());
    }

    @Test
    void escapesTextAndAttributes() {
        XmlWriter w = new XmlWriter();
        w.start("volume", "note", "a \"b\" & <c>");
        w.text("path", "/images/it's a & <b>.qcow2");
        w.end();
        String xml = w.finish();
        assertEquals("""
                <volume note="a &quot;b&quot; &amp; &lt;c&gt;">
                  <path>/images/it's a &amp; &lt;b&gt;.qcow2</path>
                </volume>
                """, xml);
        Element root = XmlDocuments.root(xml);
        assertEquals("a \"b\" & <c>", root.getAttribute("note"));
        assertEquals("/images/it's a & <b>.qcow2", XmlDocuments.childText(root, "path"));
    }

    @Test
    void namespacedElementsAreDeclaredOnceAndSkippedByTheReadersChildLookup() {
        XmlWriter w = new XmlWriter();
        w.start("domain");
        w.start("metadata");
        w.startNamespaced("x", "urn:x", "instance");
        w.textNamespaced("x", "urn:x", "name", "n");
        w.end();
        w.end();
        w.text("name", "d");
        w.end();
        String xml = w.finish();
        assertEquals("""
                <domain>
                  <metadata>
                    <x:instance xmlns:x="urn:x">
                      <x:name>n</x:name>
                    </x:instance>
                  </metadata>
                  <name>d</name>
                </domain>
                """, xml);
        Element root = XmlDocuments.root(xml);
        assertEquals("d", XmlDocuments.childText(root, "name"));
        Element instance = (Element) XmlDocuments.child(root, "metadata").getFirstChild().getNextSibling();
        assertNull(XmlDocuments.child(instance, "name"), "x:name is not libvirt's <name>");
        assertEquals(1, XmlDocuments.children(root, "name").size());
    }

    @Test
    void refusesUnclosedElementsAndOddAttributes() {
        XmlWriter open = new XmlWriter();
        open.start("a");
        assertThrows(IllegalStateException.class, open::finish);
        assertThrows(IllegalArgumentException.class, () -> new XmlWriter().empty("a", "lonely"));
    }

    @Test
    void readerRefusesDoctypes() {
        assertThrows(IllegalArgumentException.class, () -> XmlDocuments.parse(
                "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>"));
        assertThrows(IllegalArgumentException.class, () -> XmlDocuments.parse("<a>"));
    }
}
