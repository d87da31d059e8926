package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What changes a running domain, against a <b>real libvirtd with QEMU</b> ({@code qemu:///system}, TCG): a disk
 * attached live ({@link LiveDisks}), grown live and detached, a medium inserted and ejected ({@link DomainMedia}),
 * the VNC port ({@link DomainReports}) and a guest agent command to a guest that runs no agent
 * ({@link GuestAgentCommands}: libvirt's {@code VIR_ERR_AGENT_UNRESPONSIVE}, which libvirt-java cannot name). The
 * domain has no system disk: SeaBIOS finds nothing to boot and no OS ever answers, so the detached disk is never
 * released. Leaves no domain or file behind.
 */
@EnabledIfSystemProperty(named = "skiff.qemu.system", matches = "true")
@DisplayName("live disks, media, console port and guest agent on qemu:///system (real libvirtd + QEMU)")
class LiveDevicesQemuTest {

    /** {@code VIR_DOMAIN_XML_INACTIVE} */
    private static final int XML_INACTIVE = 2;

    @Test
    @DisplayName("attach, grow and detach a disk, insert and eject a medium, VNC port, no guest agent")
    void liveDevices() throws Exception {
        QemuScratch scratch = QemuScratch.open("dev-", "tcg", NativeConnect.ENDPOINT);
        LibvirtHypervisor hypervisor = scratch.hypervisor();
        String id = scratch.id();
        String name = DomainXml.domainName(id);
        Path dir = scratch.dir();
        Path data = dir.resolve("data.qcow2");
        Path iso = dir.resolve("media.iso");
        try {
            run("qemu-img", "create", "-q", "-f", "qcow2", data.toString(), "16M");
            Files.write(iso, new byte[1 << 20]);
            hypervisor.define(new DomainSpec(id, "devices", 1, 128L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO,
                    List.of(), List.of(), dir.resolve("serial.log").toString(), null, null, null,
                    new DiskAttachment(null, "raw", "cdrom", true), null));

            // a stopped domain: the medium goes into the definition only
            assertFalse(hypervisor.changeMedia(id, iso.toString()));
            assertEquals(iso.toString(), mediaSource(hypervisor, name, XML_INACTIVE));
            assertFalse(hypervisor.changeMedia(id, null));
            assertEquals(-1, hypervisor.consolePort(id), "not running");

            hypervisor.start(id);
            assertEquals(DomainState.RUNNING, hypervisor.state(id));
            assertTrue(hypervisor.consolePort(id) >= 5900, "VNC port " + hypervisor.consolePort(id));

            String target = hypervisor.attachDisk(id, new DiskAttachment(data.toString(), "qcow2", "disk", false),
                    DomainXmlTest.LINUX_VIRTIO);
            assertEquals("vda", target, "the domain had no virtio disk");
            assertEquals(data.toString(), diskSources(hypervisor, name).get("vda"));

            hypervisor.resizeDisk(id, "vda", 32L * 1024 * 1024);
            long capacity = onDomain(hypervisor, name, d -> d.blockInfo("vda").getCapacity());
            assertEquals(32L * 1024 * 1024, capacity);

            // live and in the definition. The domain is paused meanwhile: SeaBIOS, probing the drive for something
            // to boot, closes its tray, and a close between libvirt's forced open and its insert fails the change
            // and leaves libvirt's record of the tray open for good (seen here: "Tray of the device is not open" on
            // every later try). A running guest that closes its tray at that moment has the same effect; see
            // docs/user-guide/images-media-disks.md
            onDomain(hypervisor, name, d -> {
                d.suspend();
                return null;
            });
            assertTrue(hypervisor.changeMedia(id, iso.toString()), "a paused domain is active: a live change");
            assertEquals(iso.toString(), mediaSource(hypervisor, name, 0));
            assertEquals(iso.toString(), mediaSource(hypervisor, name, XML_INACTIVE));
            assertTrue(hypervisor.changeMedia(id, null));
            assertNull(mediaSource(hypervisor, name, 0));
            onDomain(hypervisor, name, d -> {
                d.resume();
                return null;
            });

            // nobody runs qemu-guest-agent in this guest
            SkiffException agent = assertThrows(SkiffException.class,
                    () -> hypervisor.guestAgentCommand(id, "{\"execute\":\"guest-ping\"}", 2));
            System.out.println("guest agent: " + agent.getMessage());
            assertEquals(SkiffException.Kind.CONFLICT, agent.kind(), agent.getMessage());
            assertEquals("no-guest-agent", agent.code(), agent.getMessage());
            assertEquals("guestAgent", agent.field());

            // no OS, no PCI unplug: the guest keeps the disk, and the answer says so
            hypervisor.detachDisk(id, "/no/such/disk.qcow2", Duration.ofSeconds(1)); // not attached: nothing to do
            SkiffException kept = assertThrows(SkiffException.class,
                    () -> hypervisor.detachDisk(id, data.toString(), Duration.ofSeconds(1)));
            assertEquals(SkiffException.Kind.CONFLICT, kept.kind(), kept.getMessage());
            assertEquals("disk", kept.field(), kept.getMessage());
        } finally {
            scratch.close();
        }
    }

    private interface DomainCall<T> {
        T apply(org.libvirt.Domain domain) throws org.libvirt.LibvirtException;
    }

    /** @return what {@code call} answers of the domain {@code name}, looked up and freed around it */
    private static <T> T onDomain(LibvirtHypervisor hypervisor, String name, DomainCall<T> call) throws Exception {
        return hypervisor.connection().call(c -> {
            org.libvirt.Domain d = c.domainLookupByName(name);
            try {
                return call.apply(d);
            } finally {
                d.free();
            }
        });
    }

    private static String mediaSource(LibvirtHypervisor hypervisor, String name, int flags) throws Exception {
        return DomainDescription.mediaDrive(onDomain(hypervisor, name, d -> d.getXMLDesc(flags))).source();
    }

    private static java.util.Map<String, String> diskSources(LibvirtHypervisor hypervisor, String name)
            throws Exception {
        return DomainDescription.diskSources(onDomain(hypervisor, name, d -> d.getXMLDesc(0)));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }
}
