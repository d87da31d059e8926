package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.XmlDocuments;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe guest's kernel image and domain XML (the probe itself runs in {@code QemuSystemCheckTest}). */
class AcceleratorProbeTest {

    @Test
    void kernelImageIsAValidMultibootImage() {
        byte[] image = AcceleratorProbe.kernelImage();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        int flags = b.getInt(4);
        assertEquals(0x1BADB002, magic);
        assertEquals(0, magic + flags + b.getInt(8), "checksum");
        assertEquals(0x10000, flags & 0x10000, "a.out kludge: addresses given");
        assertEquals(0x100000, b.getInt(12), "header_addr");
        assertEquals(0x100000, b.getInt(16), "load_addr");
        int entry = b.getInt(28) - 0x100000;
        assertEquals((byte) 0xFA, image[entry], "entry starts with cli");
        String text = new String(image, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(AcceleratorProbe.STAGE32 + "\n\0"), "32-bit stage marker");
        assertTrue(text.contains(AcceleratorProbe.MARKER + "\n\0"), "64-bit marker");
        assertTrue(image.length < 512);
    }

    @Test
    void probeDomainResetsIntoDestroyAndIsOutsideSkiffsNamespace() throws Exception {
        String xml = AcceleratorProbe.domainXml("skiffprobe-1234", "kvm", Path.of("/tmp/a&b/probe.elf"),
                Path.of("/tmp/a&b/serial.log"));
        Document doc = XmlDocuments.parse(xml);
        assertEquals("kvm", doc.getDocumentElement().getAttribute("type"));
        assertEquals("destroy", doc.getElementsByTagName("on_reboot").item(0).getTextContent());
        assertEquals("/tmp/a&b/probe.elf", doc.getElementsByTagName("kernel").item(0).getTextContent());
        assertTrue(!AcceleratorProbe.NAME_PREFIX.startsWith(DomainXml.NAME_PREFIX));
        assertEquals(0, doc.getElementsByTagName("cpu").getLength(), "no host CPU model");
    }
}
