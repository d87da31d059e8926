package io.skiff.itests.guest;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * The tiny test guest built by {@code scripts/build-test-guest.sh} (Debian cloud kernel + busybox
 * initramfs, booted by syslinux from a virtio disk; cached under ~/.cache/skiff/test-guest/), and
 * what a test needs around it: a work directory QEMU can read, a qcow2 overlay, a NoCloud seed ISO,
 * transient domain XML, and waiting for the markers the guest prints on its serial console.
 */
public final class TestGuest {
    /** Printed early by the guest's /init. */
    public static final String BOOTING = "SKIFF-GUEST-BOOTING";
    /** Printed when /init is done (after the seed CD and DHCP); a heartbeat follows every 10 s. */
    public static final String READY = "SKIFF-GUEST-READY";
    /** {@code SKIFF-GUEST-HOSTNAME=<local-hostname>} from a NoCloud seed CD (label cidata). */
    public static final String HOSTNAME = "SKIFF-GUEST-HOSTNAME=";
    /** {@code SKIFF-GUEST-IP=<addr> GW=<router> HOSTNAME=<hostname>} from a DHCP lease on eth0. */
    public static final String IP = "SKIFF-GUEST-IP=";
    public static final String DHCP_FAILED = "SKIFF-GUEST-DHCP-FAILED";
    /** {@code SKIFF-GUEST-AGENT=started port=<vportNpM>}: qemu-ga runs on the port org.qemu.guest_agent.0. */
    public static final String AGENT_STARTED = "SKIFF-GUEST-AGENT=started";
    /** {@code SKIFF-GUEST-AGENT=none}: the domain has no virtio port org.qemu.guest_agent.0. */
    public static final String AGENT_NONE = "SKIFF-GUEST-AGENT=none";
    /** {@code SKIFF-GUEST-HOSTNAME-NOW=<name>}: the host name changed after READY. */
    public static final String HOSTNAME_NOW = "SKIFF-GUEST-HOSTNAME-NOW=";
    /** {@code SKIFF-GUEST-SHADOW user=<user> changed}: a user's /etc/shadow entry changed after READY. */
    public static final String SHADOW = "SKIFF-GUEST-SHADOW user=";
    /** Every domain a test creates is named with this prefix, so that leftovers are recognisable. */
    public static final String DOMAIN_PREFIX = "skiff-itest-";

    private static volatile Path image;

    private TestGuest() {
    }

    /**
     * The cached qcow2 image, built by {@code scripts/build-test-guest.sh} at most once per JVM (the
     * script itself returns at once when its cache is current). Never boot it directly: use
     * {@link #overlay}.
     */
    public static synchronized Path image() {
        if (image == null) {
            Path root = LibvirtEnvironment.projectRoot();
            Path script = root.resolve("scripts/build-test-guest.sh");
            long start = System.nanoTime();
            Commands.Result r;
            try {
                r = Commands.run(List.of(script.toString()), root, Duration.ofMinutes(15), true);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot build the test guest with " + script + ": " + e.getMessage()
                        + "\n(run scripts/deps.sh first; the build downloads two Debian packages with apt-get)", e);
            }
            List<String> lines = Virsh.lines(r.stdout());
            Path p = lines.isEmpty() ? null : Path.of(lines.get(lines.size() - 1));
            if (!r.ok() || p == null || !Files.isRegularFile(p)) {
                throw new IllegalStateException("scripts/build-test-guest.sh did not produce the test guest image ("
                        + r.describe() + ")\nits error messages are above in the test output;"
                        + " run it by hand: cd " + root + " && scripts/deps.sh && scripts/build-test-guest.sh");
            }
            System.out.printf("[guest] test guest image %s (%d ms)%n", p, (System.nanoTime() - start) / 1_000_000);
            image = p;
        }
        return image;
    }

    /** The guest's kernel, next to the image (for direct kernel boot). */
    public static Path kernel() {
        return image().resolveSibling("vmlinuz");
    }

    /** The guest's initramfs, next to the image (for direct kernel boot). */
    public static Path initrd() {
        return image().resolveSibling("initrd.img");
    }

    /**
     * A new temporary directory that QEMU (user libvirt-qemu) can traverse and read: mode 0755
     * under /tmp (the image cache in root's home is not reachable for it). Delete it with
     * {@link #deleteTree}.
     */
    public static Path workDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A qcow2 overlay {@code dir/name} over a copy of the test guest image in {@code dir} (the copy,
     * 16 MiB, keeps the cached image untouched and reachable for QEMU): writes go to the overlay.
     */
    public static Path overlay(Path dir, String name) {
        try {
            Path base = dir.resolve("test-guest-base.qcow2");
            if (!Files.exists(base)) {
                Files.copy(image(), base);
            }
            Path disk = dir.resolve(name);
            Commands.run(Duration.ofSeconds(60), "qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                    "-b", base.toString(), disk.toString()).orThrow();
            return disk;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A cloud-init NoCloud seed ISO (volume id {@code cidata}) with {@code meta-data} (instance-id and
     * local-hostname) and {@code user-data}; the test guest prints {@code SKIFF-GUEST-HOSTNAME=<hostname>}.
     */
    public static Path seedIso(Path dir, String hostname, String userData) {
        try {
            Path src = Files.createDirectories(dir.resolve("seed"));
            Files.writeString(src.resolve("meta-data"),
                    "instance-id: " + hostname + "\nlocal-hostname: " + hostname + "\n", StandardCharsets.UTF_8);
            Files.writeString(src.resolve("user-data"), userData, StandardCharsets.UTF_8);
            Path iso = dir.resolve("seed.iso");
            Commands.run(List.of("genisoimage", "-quiet", "-output", iso.toString(), "-volid", "cidata",
                    "-joliet", "-rock", "user-data", "meta-data"), src, Duration.ofSeconds(60), false).orThrow();
            return iso;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * XML of a TCG guest ({@code <domain type='qemu'>}: KVM is not usable here) with the virtio
     * {@code disk}, NO network interface, the serial console written to {@code serialLog}, and
     * optionally a seed ISO as an IDE cdrom.
     */
    public static String domainXml(String name, Path disk, Path serialLog, Path seedIsoOrNull) {
        return domainXml(name, disk, serialLog, seedIsoOrNull, false);
    }

    /**
     * As {@link #domainXml(String, Path, Path, Path)}; with {@code agentChannel} the domain also has the virtio
     * serial port {@code org.qemu.guest_agent.0} (as every Skiff domain has), on which the guest starts qemu-ga.
     */
    public static String domainXml(String name, Path disk, Path serialLog, Path seedIsoOrNull, boolean agentChannel) {
        if (!name.startsWith(DOMAIN_PREFIX)) {
            throw new IllegalArgumentException("test domains must be named " + DOMAIN_PREFIX + "*: " + name);
        }
        String cdrom = seedIsoOrNull == null ? "" : """
                    <disk type='file' device='cdrom'>
                      <driver name='qemu' type='raw'/>
                      <source file='%s'/>
                      <target dev='hdc' bus='ide'/>
                      <readonly/>
                    </disk>
                """.formatted(xml(seedIsoOrNull.toString()));
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>256</memory>
                  <vcpu>1</vcpu>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <boot dev='hd'/>
                    <bios useserial='yes'/>
                  </os>
                  <features><acpi/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>destroy</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <disk type='file' device='disk'>
                      <driver name='qemu' type='qcow2'/>
                      <source file='%s'/>
                      <target dev='vda' bus='virtio'/>
                    </disk>
                %s    <serial type='file'>
                      <source path='%s'/>
                      <target port='0'/>
                    </serial>
                %s    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(xml(name), xml(disk.toString()), cdrom, xml(serialLog.toString()), agentChannel ? """
                    <channel type='unix'>
                      <target type='virtio' name='org.qemu.guest_agent.0'/>
                    </channel>
                """ : "");
    }

    /**
     * Waits until the serial log has a line containing {@code marker}; returns that line (terminal
     * escapes and CRs removed). Throws an AssertionError with the log when the time is up.
     */
    public static String awaitMarker(Path serialLog, String marker, Duration timeout) throws InterruptedException {
        try {
            return await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(() -> serialLines(serialLog).stream().filter(l -> l.contains(marker)).findFirst(),
                            Optional::isPresent)
                    .get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no '" + marker + "' on the serial console within " + timeout
                    + "; serial log " + serialLog + ":\n" + String.join("\n", serialLines(serialLog)));
        }
    }

    /** The serial log's lines so far, with CRs and terminal escape sequences removed. */
    public static List<String> serialLines(Path serialLog) {
        try {
            if (!Files.exists(serialLog)) {
                return List.of();
            }
            String text = new String(Files.readAllBytes(serialLog), StandardCharsets.UTF_8);
            return text.replaceAll("\u001B(\\[[0-9;?]*[A-Za-z]|[A-Za-z])", "").replace("\r", "").lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; no error if it is already gone. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
    }
}
