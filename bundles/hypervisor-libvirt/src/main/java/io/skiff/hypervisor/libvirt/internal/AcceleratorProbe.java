package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.libvirt.XmlWriter;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Finds out whether guests really run under a given domain type by booting a probe guest of that type. Offering
 * the {@code kvm} domain type proves little: {@code /dev/kvm} may exist but be closed to the QEMU user (then the
 * start fails), or nested KVM may start guests that spin without progress: on Skiff's test machines a Linux
 * kernel under KVM prints "Probing EDD ... ok" and then spins at 100 % CPU, at its switch to 64-bit long mode,
 * while a probe that stayed in 32-bit mode ran fine. The probe guest is therefore a 274-byte multiboot kernel that
 * QEMU loads directly ({@code <kernel>}): after SeaBIOS and QEMU's multiboot loader it prints {@link #STAGE32} in
 * protected mode, switches to long mode with paging, prints {@link #MARKER} from 64-bit code and resets the
 * machine. The domain has {@code on_reboot=destroy}, so it stops by itself only if the guest really executed all
 * of that. Verdict:
 * <ul>
 *   <li>start fails → does not work (libvirt's reason);</li>
 *   <li>the domain stops by itself and the marker is in its serial log → works;</li>
 *   <li>it stops without the marker → does not work (QEMU quit or the guest went astray);</li>
 *   <li>it pauses (KVM internal error) or is still running at the deadline → does not work (no progress).</li>
 * </ul>
 * The domain is transient, started with {@code AUTODESTROY} (gone if Skiff's connection drops) and destroyed in any
 * case; its name {@code skiffprobe-*} is outside Skiff's {@code skiff-} namespace. The probe needs libvirtd on this
 * host (it passes file paths), as a Cell has.
 */
final class AcceleratorProbe {

    static final String MARKER = "SKIFF-ACCEL-PROBE-OK";
    /** printed before the switch to long mode: tells "stalled in long mode switch" from "never ran" */
    static final String STAGE32 = "SKIFF-ACCEL-PROBE-32";
    static final String NAME_PREFIX = "skiffprobe-";
    private static final int VIR_DOMAIN_START_AUTODESTROY = 2;

    /**
     * @param works whether a guest ran to the end under the domain type
     * @param reason why, in words for the log
     * @param took how long the probe took
     */
    record Result(boolean works, String reason, Duration took) {
    }

    private final LibvirtConnection connection;
    private final Duration timeout;
    private final Path tempRoot;

    AcceleratorProbe(LibvirtConnection connection, Duration timeout) {
        // /tmp rather than Karaf's data/tmp: QEMU (user libvirt-qemu) must traverse every parent of the kernel file
        this(connection, timeout, Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp")
                : Path.of(System.getProperty("java.io.tmpdir")));
    }

    AcceleratorProbe(LibvirtConnection connection, Duration timeout, Path tempRoot) {
        this.connection = connection;
        this.timeout = timeout;
        this.tempRoot = tempRoot;
    }

    /**
     * Boots the probe guest under a domain type and waits at most the timeout for it to finish.
     *
     * @param domainType {@code kvm} (or {@code qemu}, to check the probe itself)
     */
    Result probe(String domainType) {
        long started = System.nanoTime();
        String name = NAME_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        Path dir = null;
        try {
            dir = Files.createTempDirectory(tempRoot, "skiff-accel-probe-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path kernel = dir.resolve("probe.elf");
            Files.write(kernel, kernelImage());
            Files.setPosixFilePermissions(kernel, PosixFilePermissions.fromString("rw-r--r--"));
            Path serial = dir.resolve("serial.log");
            String xml = domainXml(name, domainType, kernel, serial);
            Verdict verdict = run(name, xml, serial);
            return new Result(verdict.works(), verdict.reason(), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            return new Result(false, "cannot prepare the probe guest: " + e, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            return new Result(false, "the probe failed: " + e.getMessage(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            destroyQuietly(name);
            deleteQuietly(dir);
        }
    }

    private record Verdict(boolean works, String reason) {
    }

    private Verdict run(String name, String xml, Path serial) {
        try {
            connection.call(c -> {
                Domain d = c.domainCreateXML(xml, VIR_DOMAIN_START_AUTODESTROY);
                d.free();
                return null;
            });
        } catch (LibvirtException e) {
            return new Verdict(false, "the probe guest does not start: " + LibvirtErrors.reason(e));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            DomainInfo.DomainState state = stateOf(name);
            if (state == null) {
                return judgeStopped(serial);
            }
            if (state == DomainInfo.DomainState.VIR_DOMAIN_PAUSED || state == DomainInfo.DomainState.VIR_DOMAIN_CRASHED) {
                return new Verdict(false, "the probe guest stopped executing (state " + state + ", e.g. a KVM internal error)");
            }
            if (state == DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF) {
                return judgeStopped(serial);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Verdict(false, "interrupted while waiting for the probe guest");
            }
        }
        String stage = stageReached(serial);
        return new Verdict(false, "the probe guest made no progress within " + timeout.toSeconds()
                + " s (it runs but does not finish" + stage + ": e.g. stalled nested KVM)");
    }

    private static String stageReached(Path serial) {
        try {
            String log = Files.readString(serial, StandardCharsets.ISO_8859_1);
            return log.contains(STAGE32) ? "; it reached 32-bit protected mode but not 64-bit long mode"
                    : "; it printed nothing";
        } catch (IOException e) {
            return "";
        }
    }

    private static Verdict judgeStopped(Path serial) {
        String log;
        try {
            log = Files.readString(serial, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            // serial logs are root's (mode 600); without them the guest's own stop is the evidence
            return new Verdict(true, "the probe guest ran to its end (serial log not readable: " + e.getMessage() + ")");
        }
        if (log.contains(MARKER)) {
            return new Verdict(true, "the probe guest ran to its end and printed its marker");
        }
        return new Verdict(false, "the probe guest stopped without printing its marker (QEMU quit or the guest went astray)");
    }

    /** @return the probe domain's state, {@code null} once it is gone */
    private DomainInfo.DomainState stateOf(String name) {
        try {
            return connection.call(c -> {
                Domain d = c.domainLookupByName(name);
                try {
                    return d.getInfo().state;
                } finally {
                    d.free();
                }
            });
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return null;
            }
            // a transient domain that stops between lookup and getInfo
            return LibvirtErrors.is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID) ? null : DomainInfo.DomainState.VIR_DOMAIN_NOSTATE;
        }
    }

    private void destroyQuietly(String name) {
        try {
            connection.call(c -> {
                Domain d = c.domainLookupByName(name);
                try {
                    d.destroy();
                } finally {
                    d.free();
                }
                return null;
            });
        } catch (LibvirtException | RuntimeException e) {
            // gone already: the normal case
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left in the temp directory
                }
            });
        } catch (IOException e) {
            // left in the temp directory
        }
    }

    static String domainXml(String name, String domainType, Path kernel, Path serial) {
        XmlWriter w = new XmlWriter();
        w.start("domain", "type", domainType);
        w.text("name", name);
        w.text("memory", "32", "unit", "MiB");
        w.text("vcpu", "1");
        w.start("os");
        w.text("type", "hvm", "arch", "x86_64", "machine", "pc");
        w.text("kernel", kernel.toString());
        w.end();
        w.text("on_poweroff", "destroy");
        // the guest's reset is its "done": QEMU then runs with -no-reboot and exits
        w.text("on_reboot", "destroy");
        w.text("on_crash", "preserve");
        w.start("devices");
        w.start("serial", "type", "file");
        w.empty("source", "path", serial.toString());
        w.end();
        w.empty("controller", "type", "usb", "model", "none");
        w.empty("memballoon", "model", "none");
        w.end();
        w.end();
        return w.finish();
    }

    /**
     * The probe guest: a multiboot (v1) kernel, assembled from {@code src/main/probe/accel-probe.S} (the source,
     * with the command that rebuilds these bytes). It prints {@link #STAGE32} in 32-bit protected mode, switches to
     * 64-bit long mode, prints {@link #MARKER} and resets the machine.
     */
    static final String KERNEL_HEX =
            "02b0ad1b00000100fe4f51e40000100000001000000000000000000020001000fabc00003000bee6001000e864000000" +
            "bf0000200031c0b9000c0000f3abc7050000200003102000c7050010200003202000c7050020200083000000b8000020" +
            "000f22d80f20e083c8200f22e0b9800000c00f320d000100000f300f0115e00010000f20c00d010000800f22c0eaa100" +
            "1000080066baf803ac84c07403eeebf8c366b810008ed88ec08ed0488d354a00000066baf803ac84c07403eeebf8b0fe" +
            "e664f4ebfd8d76000000000000000000ffff0000009aaf00ffff00000092cf001700c8001000534b4946462d41434345" +
            "4c2d50524f42452d33320a00534b4946462d414343454c2d50524f42452d4f4b0a00";

    static byte[] kernelImage() {
        return HexFormat.of().parseHex(KERNEL_HEX);
    }
}
