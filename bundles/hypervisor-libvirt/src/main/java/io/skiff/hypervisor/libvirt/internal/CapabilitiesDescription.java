package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.XmlDocuments;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What Skiff reads from libvirt's host capabilities XML for x86_64 HVM guests.
 *
 * @param kvmDomainType whether libvirt offers the {@code kvm} domain type (it does when {@code /dev/kvm} exists,
 *                      which does not mean QEMU can use it: see {@link AcceleratorProbe})
 * @param machineTypes machine types and their aliases (e.g. {@code pc-i440fx-7.2}, {@code pc}, {@code q35})
 */
record CapabilitiesDescription(boolean kvmDomainType, List<String> machineTypes) {

    static CapabilitiesDescription parse(String capabilitiesXml) {
        Element root = XmlDocuments.parse(capabilitiesXml).getDocumentElement();
        boolean kvm = false;
        Set<String> machines = new LinkedHashSet<>();
        for (Node g = root.getFirstChild(); g != null; g = g.getNextSibling()) {
            if (!(g instanceof Element guest) || !"guest".equals(guest.getLocalName())) {
                continue;
            }
            NodeList osTypes = guest.getElementsByTagName("os_type");
            if (osTypes.getLength() == 0 || !"hvm".equals(osTypes.item(0).getTextContent().strip())) {
                continue;
            }
            NodeList arches = guest.getElementsByTagName("arch");
            for (int i = 0; i < arches.getLength(); i++) {
                Element arch = (Element) arches.item(i);
                if (!"x86_64".equals(arch.getAttribute("name"))) {
                    continue;
                }
                NodeList ms = arch.getElementsByTagName("machine");
                for (int m = 0; m < ms.getLength(); m++) {
                    String name = ms.item(m).getTextContent().strip();
                    if (!name.isEmpty()) {
                        machines.add(name);
                    }
                }
                NodeList domains = arch.getElementsByTagName("domain");
                for (int d = 0; d < domains.getLength(); d++) {
                    if ("kvm".equals(((Element) domains.item(d)).getAttribute("type"))) {
                        kvm = true;
                    }
                }
            }
        }
        return new CapabilitiesDescription(kvm, List.copyOf(machines));
    }

    /** @return libvirt's UUID of this host ({@code <host><uuid>}), empty when it names none */
    static String hostUuid(String capabilitiesXml) {
        Element root = XmlDocuments.parse(capabilitiesXml).getDocumentElement();
        for (Node h = root.getFirstChild(); h != null; h = h.getNextSibling()) {
            if (h instanceof Element host && "host".equals(host.getLocalName())) {
                NodeList uuids = host.getElementsByTagName("uuid");
                return uuids.getLength() == 0 ? "" : uuids.item(0).getTextContent().strip();
            }
        }
        return "";
    }
}
