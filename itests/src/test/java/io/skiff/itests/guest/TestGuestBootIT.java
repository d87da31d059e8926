package io.skiff.itests.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * System test of the test guest itself: boots it under the host's real libvirt (qemu:///system,
 * TCG) as a transient domain without any network interface, and reads its serial console.
 * Needs root (qemu:///system); skipped otherwise.
 * <p>
 * The name starts with "Test", which Surefire's default includes ({@code **&#47;Test*.java}) also match:
 * the condition keeps it to the Failsafe run (whose configuration sets {@code skiff.distribution}).
 */
@EnabledIfSystemProperty(named = "skiff.distribution", matches = ".+",
        disabledReason = "system test: runs under Failsafe (mvn verify), not Surefire")
class TestGuestBootIT {
    private static final String PREFIX = TestGuest.DOMAIN_PREFIX + "guestboot-";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    private String domain;
    private Path dir;

    @BeforeAll
    static void libvirtAndImage() {
        assumeTrue(LibvirtEnvironment.isRoot(), "needs root for qemu:///system");
        LibvirtEnvironment.ensureUp();
        TestGuest.image();
        // leftovers of an earlier, killed run of this test
        List<String> removed = Virsh.cleanupDomains(PREFIX);
        if (!removed.isEmpty()) {
            System.out.println("[guest] removed leftover domains " + removed);
        }
    }

    @BeforeEach
    void names() {
        domain = PREFIX + UUID.randomUUID().toString().substring(0, 8);
        dir = TestGuest.workDir("skiff-itest-guest-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            assertTrue(Virsh.destroyAndUndefine(domain), "domain " + domain + " is still there");
        } finally {
            TestGuest.deleteTree(dir);
        }
        assertFalse(Files.exists(dir));
    }

    @AfterAll
    static void nothingLeft() {
        if (!LibvirtEnvironment.isRoot()) {
            return;
        }
        List<String> left = Virsh.listAllDomains().stream().filter(d -> d.startsWith(PREFIX)).toList();
        assertEquals(List.of(), left, "virsh list --all still shows test domains");
    }

    @Test
    void bootsFromVirtioDiskWithoutNetwork() throws Exception {
        Path disk = TestGuest.overlay(dir, "disk.qcow2");
        Path serial = dir.resolve("serial.log");
        long startNanos = boot(TestGuest.domainXml(domain, disk, serial, null));

        assertEquals("running", Virsh.domstate(domain));
        assertEquals(List.of(), Virsh.domiflist(domain), "the guest must have no network interface");
        assertFalse(Virsh.dumpxml(domain).contains("<interface"), "the guest must have no network interface");

        String booting = TestGuest.awaitMarker(serial, TestGuest.BOOTING, BOOT_TIMEOUT);
        long bootingMillis = millisSince(startNanos);
        String ready = TestGuest.awaitMarker(serial, TestGuest.READY, BOOT_TIMEOUT);
        long readyMillis = millisSince(startNanos);

        List<String> lines = TestGuest.serialLines(serial);
        assertTrue(lines.indexOf(booting) < lines.indexOf(ready), "BOOTING comes before READY");
        assertTrue(lines.stream().noneMatch(l -> l.contains(TestGuest.IP) || l.contains(TestGuest.DHCP_FAILED)),
                "no eth0, so no DHCP: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains(TestGuest.HOSTNAME)), "no seed CD, so no hostname");
        report("virtio disk", bootingMillis, readyMillis, serial);
        // no org.qemu.guest_agent.0 port in this domain: the guest says so (in the background, within 5 s)
        TestGuest.awaitMarker(serial, TestGuest.AGENT_NONE, Duration.ofSeconds(30));
    }

    @Test
    void runsTheGuestAgentOnItsVirtioPort() throws Exception {
        Path disk = TestGuest.overlay(dir, "disk.qcow2");
        String seedHash = "$6$seedsalt$" + "A".repeat(86);
        Path seed = TestGuest.seedIso(dir, "agent-test", "#cloud-config\n{\"hostname\":\"agent-test\",\"users\":"
                + "[\"default\",{\"name\":\"ops\",\"groups\":[\"sudo\"],\"shell\":\"/bin/bash\",\"lock_passwd\":false,"
                + "\"passwd\":\"" + seedHash + "\"}],\"ssh_pwauth\":true}\n");
        Path serial = dir.resolve("serial.log");
        long startNanos = boot(TestGuest.domainXml(domain, disk, serial, seed, true));
        TestGuest.awaitMarker(serial, TestGuest.BOOTING, BOOT_TIMEOUT);
        long bootingMillis = millisSince(startNanos);
        TestGuest.awaitMarker(serial, TestGuest.READY, BOOT_TIMEOUT);
        long readyMillis = millisSince(startNanos);
        String started = TestGuest.awaitMarker(serial, TestGuest.AGENT_STARTED, Duration.ofSeconds(30));
        long agentMillis = millisSince(startNanos);
        assertTrue(started.matches(".*port=vport\\d+p\\d+.*"), started);

        assertEquals("{}", Virsh.agentCommand(domain, "{\"execute\":\"guest-ping\"}").toString());
        long pingMillis = millisSince(startNanos);
        // the seed's user with its hash, as cloud-init would create it
        String shadow = Virsh.guestExec(domain, "/bin/cat", "/etc/shadow");
        assertTrue(shadow.contains("\nops:" + seedHash + ":") || shadow.startsWith("ops:" + seedHash + ":"), shadow);
        assertTrue(Virsh.guestExec(domain, "/bin/cat", "/etc/passwd").contains("ops:x:1000:1000:"));

        // guest-set-user-password with a crypt hash (the agent runs chpasswd -e): the guest names the user only
        String newHash = "$6$newsalt$" + "B".repeat(86);
        Virsh.agentCommand(domain, "{\"execute\":\"guest-set-user-password\",\"arguments\":{\"username\":\"ops\","
                + "\"password\":\"" + java.util.Base64.getEncoder().encodeToString(newHash.getBytes(StandardCharsets.UTF_8))
                + "\",\"crypted\":true}}");
        String changed = TestGuest.awaitMarker(serial, TestGuest.SHADOW + "ops changed", Duration.ofSeconds(30));
        assertFalse(changed.contains("$6$"), changed);
        assertTrue(Virsh.guestExec(domain, "/bin/cat", "/etc/shadow").contains("ops:" + newHash + ":"));
        Commands.Result unknown = Virsh.exec("qemu-agent-command", domain, "{\"execute\":\"guest-set-user-password\","
                + "\"arguments\":{\"username\":\"nobody\",\"password\":\"eA==\",\"crypted\":true}}");
        assertFalse(unknown.ok(), "an unknown user is refused: " + unknown.describe());

        // a host name change through guest-exec
        Virsh.guestExec(domain, "/bin/sh", "-c", "hostname renamed-by-agent");
        TestGuest.awaitMarker(serial, TestGuest.HOSTNAME_NOW + "renamed-by-agent", Duration.ofSeconds(30));
        System.out.printf("[guest] agent: READY after %d ms, %s after %d ms, guest-ping answered after %d ms%n",
                readyMillis, TestGuest.AGENT_STARTED, agentMillis, pingMillis);
        report("virtio disk + seed + guest agent channel", bootingMillis, readyMillis, serial);
    }

    @Test
    void readsHostnameFromNoCloudSeedCdrom() throws Exception {
        Path disk = TestGuest.overlay(dir, "disk.qcow2");
        Path seed = TestGuest.seedIso(dir, "skiff-test", "#cloud-config\n");
        Path serial = dir.resolve("serial.log");
        long startNanos = boot(TestGuest.domainXml(domain, disk, serial, seed));

        String hostname = TestGuest.awaitMarker(serial, TestGuest.HOSTNAME, BOOT_TIMEOUT);
        long hostnameMillis = millisSince(startNanos);
        assertEquals(TestGuest.HOSTNAME + "skiff-test", hostname.strip());
        TestGuest.awaitMarker(serial, TestGuest.READY, BOOT_TIMEOUT);
        long readyMillis = millisSince(startNanos);
        report("virtio disk + NoCloud seed cdrom", hostnameMillis, readyMillis, serial);
    }

    /** Writes the XML, {@code virsh create}s the transient domain, returns the start time. */
    private long boot(String xml) throws Exception {
        Path file = dir.resolve("domain.xml");
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        Virsh.createTransient(file);
        System.out.printf("[guest] %s created in %d ms%n", domain, millisSince(start));
        return start;
    }

    private void report(String what, long firstMarkerMillis, long readyMillis, Path serial) {
        System.out.printf("[guest] %s: first marker after %d ms, %s after %d ms (from virsh create)%n",
                what, firstMarkerMillis, TestGuest.READY, readyMillis);
        TestGuest.serialLines(serial).forEach(l -> System.out.println("[guest]   | " + l));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
