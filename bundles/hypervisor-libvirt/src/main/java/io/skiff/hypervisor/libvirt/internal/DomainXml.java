package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.NicAttachment;
import io.skiff.libvirt.XmlWriter;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the libvirt domain XML of an instance from its {@link DomainSpec}. Every value goes through Skiff's StAX
 * writer ({@link XmlWriter}), so names and paths are escaped by the XML library, never by string concatenation.
 * The domain is named {@code skiff-<instanceId>} and carries a {@code <metadata>} element in {@link #NAMESPACE} with
 * the instance id and display name: that tag, not the name alone, is what makes a domain Skiff's. A spec with a lease
 * file gets a {@code <lease>} ({@link DomainLease}), so that libvirt's lock manager refuses a second copy elsewhere.
 */
final class DomainXml {

    /** The XML namespace of Skiff's domain metadata. */
    static final String NAMESPACE = "https://skiff.io/xmlns/libvirt-domain/1.0";
    static final String PREFIX = "skiff";
    static final String NAME_PREFIX = io.skiff.libvirt.SkiffDomains.NAME_PREFIX;

    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,14}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final Pattern LISTEN = Pattern.compile("[0-9A-Za-z.:-]{1,253}");
    private static final Pattern CONSOLE_PASSWORD = Pattern.compile("[\\x21-\\x7e]{1,8}");
    private static final Set<String> DISK_BUSES = Set.of("virtio", "sata", "ide", "scsi");
    private static final Set<String> NIC_MODELS = Set.of("virtio", "e1000", "e1000e", "rtl8139");
    private static final Set<String> VIDEO_MODELS = Set.of("virtio", "vga", "cirrus", "qxl", "bochs", "none");
    private static final Set<String> MACHINES = Set.of("pc", "q35");
    private static final Set<String> FORMATS = Set.of("qcow2", "raw");

    private DomainXml() {
    }

    /** @return the libvirt domain name of an instance */
    static String domainName(String instanceId) {
        return NAME_PREFIX + instanceId;
    }

    /**
     * @throws SkiffException {@code INVALID} when the id cannot name a domain
     */
    static void checkInstanceId(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw SkiffException.invalid("instanceId", "instance id '" + instanceId
                    + "' may contain only letters, digits, '.', '-' and '_' (at most 200), starting with a letter or digit");
        }
    }

    /**
     * @param spec what to define
     * @param domainType libvirt's domain type: {@code kvm} or {@code qemu} (TCG)
     * @param uuid the UUID of the domain being redefined, or {@code null} for a new one
     * @return the domain XML
     * @throws SkiffException {@code INVALID} when the spec has values libvirt cannot take
     */
    static String write(DomainSpec spec, String domainType, String uuid) {
        return write(spec, domainType, uuid, BackingChain.NONE);
    }

    /**
     * @param chains reads the backing chain of a network disk's volume, spelt out in the XML
     * @see #write(DomainSpec, String, String)
     */
    static String write(DomainSpec spec, String domainType, String uuid, BackingChain chains) {
        validate(spec);
        if (!"kvm".equals(domainType) && !"qemu".equals(domainType)) {
            throw new IllegalArgumentException("domain type must be kvm or qemu: " + domainType);
        }
        if (uuid != null && !UUID_TEXT.matcher(uuid).matches()) {
            throw new IllegalArgumentException("not a UUID: " + uuid);
        }
        DeviceProfile profile = spec.devices();
        XmlWriter w = new XmlWriter();
        w.start("domain", "type", domainType);
        w.text("name", domainName(spec.instanceId()));
        if (uuid != null) {
            w.text("uuid", uuid);
        }
        w.start("metadata");
        w.startNamespaced(PREFIX, NAMESPACE, "instance");
        w.textNamespaced(PREFIX, NAMESPACE, "id", spec.instanceId());
        w.textNamespaced(PREFIX, NAMESPACE, "name", spec.name() == null ? "" : spec.name());
        w.end();
        w.end();
        String memoryKiB = Long.toString((spec.memoryBytes() + 1023) / 1024);
        w.text("memory", memoryKiB, "unit", "KiB");
        w.text("currentMemory", memoryKiB, "unit", "KiB");
        w.text("vcpu", Integer.toString(spec.cores()), "placement", "static");
        writeCpuTune(w, spec.qos());

        boolean uefi = "uefi".equals(profile.firmware());
        if (uefi) {
            w.start("os", "firmware", "efi");
        } else {
            w.start("os");
        }
        w.text("type", "hvm", "arch", "x86_64", "machine", profile.machine());
        // per-device <boot order> (booting from the media drive) and <os><boot> exclude each other
        if (!bootsFromMedia(spec)) {
            w.empty("boot", "dev", "hd");
            w.empty("boot", "dev", "cdrom");
        }
        w.end();
        w.start("features");
        w.empty("acpi");
        w.empty("apic");
        w.end();
        // No <cpu> element: QEMU's default model. host-passthrough/host-model abort QEMU on some hosts.
        w.empty("clock", "offset", "utc");
        w.text("on_poweroff", "destroy");
        w.text("on_reboot", "restart");
        w.text("on_crash", "destroy");

        w.start("devices");
        writeDisks(w, spec.disks(), profile, spec.qos(), spec.mediaDrive(), bootsFromMedia(spec), chains);
        if (spec.leaseFile() != null) {
            DomainLease.of(spec.instanceId(), spec.leaseFile()).write(w);
        }
        for (NicAttachment nic : spec.nics()) {
            w.start("interface", "type", "bridge");
            w.empty("mac", "address", nic.mac().toLowerCase(Locale.ROOT));
            w.empty("source", "bridge", nic.bridge());
            w.empty("model", "type", profile.nicModel());
            writeBandwidth(w, spec.qos());
            w.end();
        }
        if (spec.serialLogPath() != null && !spec.serialLogPath().isBlank()) {
            // libvirt mirrors serial 0 as the console (same file), so no separate <console> is written
            w.start("serial", "type", "file");
            w.empty("source", "path", spec.serialLogPath());
            w.empty("target", "port", "0");
            w.end();
        } else {
            w.start("serial", "type", "pty");
            w.empty("target", "port", "0");
            w.end();
        }
        if (profile.tablet()) {
            w.empty("input", "type", "tablet", "bus", "usb");
        }
        String listen = spec.consoleListen() == null || spec.consoleListen().isBlank() ? "127.0.0.1"
                : spec.consoleListen();
        if (spec.consolePassword() == null) {
            w.empty("graphics", "type", "vnc", "autoport", "yes", "listen", listen);
        } else {
            w.empty("graphics", "type", "vnc", "autoport", "yes", "listen", listen, "passwd",
                    spec.consolePassword());
        }
        w.start("video");
        w.empty("model", "type", profile.video());
        w.end();
        // the QEMU guest agent's channel: password resets and host name changes where the guest runs the agent
        w.start("channel", "type", "unix");
        w.empty("target", "type", "virtio", "name", "org.qemu.guest_agent.0");
        w.end();
        w.empty("memballoon", "model", "virtio");
        w.end();
        w.end();
        return w.finish();
    }

    /** CPU priority as cgroup shares and a CFS quota per vCPU. */
    static void writeCpuTune(XmlWriter w, io.skiff.api.model.Qos qos) {
        if (qos == null) {
            return;
        }
        w.start("cputune");
        w.text("shares", Integer.toString(io.skiff.api.model.Qos.cpuShares(qos.cpuPriority())));
        long quota = io.skiff.api.model.Qos.cpuQuotaMicros(qos.cpuPriority());
        if (quota > 0) {
            w.text("period", Long.toString(io.skiff.api.model.Qos.CPU_PERIOD_MICROS));
            w.text("quota", Long.toString(quota));
        }
        w.end();
    }

    /** Disk limits, per disk (not on CD-ROMs). */
    static void writeIoTune(XmlWriter w, io.skiff.api.model.Qos qos) {
        if (qos == null || !qos.limitsDisks()) {
            return;
        }
        w.start("iotune");
        if (io.skiff.api.model.Qos.positive(qos.diskReadBytesPerSecond())) {
            w.text("read_bytes_sec", Long.toString(qos.diskReadBytesPerSecond()));
        }
        if (io.skiff.api.model.Qos.positive(qos.diskWriteBytesPerSecond())) {
            w.text("write_bytes_sec", Long.toString(qos.diskWriteBytesPerSecond()));
        }
        if (io.skiff.api.model.Qos.positive(qos.diskReadIops())) {
            w.text("read_iops_sec", Long.toString(qos.diskReadIops()));
        }
        if (io.skiff.api.model.Qos.positive(qos.diskWriteIops())) {
            w.text("write_iops_sec", Long.toString(qos.diskWriteIops()));
        }
        w.end();
    }

    /** Interface bandwidth in KiB/s: inbound is what the guest receives, outbound what it sends. */
    static void writeBandwidth(XmlWriter w, io.skiff.api.model.Qos qos) {
        if (qos == null || !qos.limitsNetwork()) {
            return;
        }
        w.start("bandwidth");
        if (io.skiff.api.model.Qos.positive(qos.netRxKiBPerSecond())) {
            w.empty("inbound", "average", Long.toString(qos.netRxKiBPerSecond()));
        }
        if (io.skiff.api.model.Qos.positive(qos.netTxKiBPerSecond())) {
            w.empty("outbound", "average", Long.toString(qos.netTxKiBPerSecond()));
        }
        w.end();
    }

    /** The libvirt user alias ({@code ua-} prefix) that marks an instance's media drive among its CD-ROMs. */
    static final String MEDIA_ALIAS = "ua-skiff-media";

    static boolean bootsFromMedia(DomainSpec spec) {
        return spec.mediaDrive() != null && "cdrom".equals(spec.bootFrom());
    }

    private static void writeDisks(XmlWriter w, List<DiskAttachment> disks, DeviceProfile profile,
                                   io.skiff.api.model.Qos qos, DiskAttachment mediaDrive, boolean bootFromMedia,
                                   BackingChain chains) {
        Map<String, Integer> nextIndex = new HashMap<>();
        boolean systemDisk = true;
        for (DiskAttachment disk : disks) {
            boolean cdrom = "cdrom".equals(disk.device());
            String bus = cdrom ? cdromBus(profile) : profile.diskBus();
            String prefix = devicePrefix(bus);
            int index = nextIndex.merge(prefix, 1, Integer::sum) - 1;
            startDisk(w, disk, cdrom ? "cdrom" : "disk", chains);
            w.empty("target", "dev", prefix + driveLetters(index), "bus", bus);
            if (cdrom || disk.readOnly()) {
                w.empty("readonly");
            }
            if (!cdrom) {
                writeIoTune(w, qos);
            }
            if (bootFromMedia && !cdrom && systemDisk) {
                w.empty("boot", "order", "2");
            }
            systemDisk &= cdrom;
            w.end();
        }
        if (mediaDrive != null) {
            String bus = cdromBus(profile);
            String prefix = devicePrefix(bus);
            int index = nextIndex.merge(prefix, 1, Integer::sum) - 1;
            writeMediaDrive(w, prefix + driveLetters(index), bus, mediaDrive.path(), bootFromMedia ? "1" : null);
        }
    }

    /** The media drive: read-only, raw, marked with {@link #MEDIA_ALIAS}; no {@code <source>} when empty. */
    private static void writeMediaDrive(XmlWriter w, String target, String bus, String isoPath, String bootOrder) {
        w.start("disk", "type", "file", "device", "cdrom");
        w.empty("driver", "name", "qemu", "type", "raw");
        if (isoPath != null && !isoPath.isBlank()) {
            w.empty("source", "file", isoPath);
        }
        w.empty("target", "dev", target, "bus", bus);
        w.empty("readonly");
        if (bootOrder != null) {
            w.empty("boot", "order", bootOrder);
        }
        w.empty("alias", "name", MEDIA_ALIAS);
        w.end();
    }

    /**
     * The XML of the media drive for {@code virDomainUpdateDeviceFlags}: same target, bus and boot order as the
     * drive the domain has, another medium (or none).
     */
    static String mediaDrive(String target, String bus, String isoPath, String bootOrder) {
        if (isoPath != null) {
            for (int i = 0; i < isoPath.length(); i++) {
                if (isoPath.charAt(i) < 0x20) {
                    throw SkiffException.invalid("media", "the ISO path contains a control character");
                }
            }
        }
        XmlWriter w = new XmlWriter();
        writeMediaDrive(w, target, bus, isoPath, bootOrder);
        return w.finish().strip();
    }

    /**
     * The XML of one disk for hot-plugging: the profile's disk bus, the first target of that bus's prefix not in
     * {@code usedTargets}.
     *
     * @return {target, xml}
     */
    static String[] hotplugDisk(String instanceId, DiskAttachment disk, DeviceProfile profile, Set<String> usedTargets,
                                BackingChain chains) {
        if (disk.path() == null || disk.path().isBlank()) {
            throw SkiffException.invalid("path", "instance " + instanceId + ": a disk needs a path");
        }
        String bus = profile.diskBus();
        String prefix = devicePrefix(bus);
        String target = null;
        for (int i = 0; i < 26 * 27 && target == null; i++) {
            String candidate = prefix + driveLetters(i);
            if (!usedTargets.contains(candidate)) {
                target = candidate;
            }
        }
        XmlWriter w = new XmlWriter();
        startDisk(w, disk, "disk", chains);
        w.empty("target", "dev", target, "bus", bus);
        if (disk.readOnly()) {
            w.empty("readonly");
        }
        w.end();
        return new String[]{target, w.finish().strip()};
    }

    /**
     * Starts a {@code <disk>} with its driver and source. A network disk (an {@code nfs://} volume) is opened
     * without the host's page cache ({@code cache='none'}: libvirt migrates a guest on shared storage live only
     * then) and has its backing chain spelt out, each layer as the root identity ({@link BackingChain}).
     */
    private static void startDisk(XmlWriter w, DiskAttachment disk, String device, BackingChain chains) {
        DiskSource source = disk.path() == null || disk.path().isBlank() ? null : DiskSource.of(disk.path());
        w.start("disk", "type", source == null ? "file" : source.type(), "device", device);
        if (source != null && source.network()) {
            w.empty("driver", "name", "qemu", "type", format(disk), "cache", "none");
        } else {
            w.empty("driver", "name", "qemu", "type", format(disk));
        }
        if (source == null) {
            return;
        }
        source.write(w);
        if (source.network()) {
            List<BackingChain.Layer> layers = chains.below(disk.path());
            for (BackingChain.Layer layer : layers) {
                DiskSource backing = DiskSource.of(layer.path());
                w.start("backingStore", "type", backing.type());
                w.empty("format", "type", layer.format());
                backing.write(w);
            }
            if (!layers.isEmpty()) {
                w.empty("backingStore"); // the end of the chain: libvirt looks no further
            }
            layers.forEach(layer -> w.end());
        }
    }

    /** CD-ROMs cannot sit on virtio-blk; they take the profile's bus when it can hold them, else the machine's own. */
    static String cdromBus(DeviceProfile profile) {
        String bus = profile.diskBus();
        if ("sata".equals(bus) || "scsi".equals(bus)) {
            return bus;
        }
        // q35 has no IDE controller; i440fx (pc) has one built in
        return "q35".equals(profile.machine()) ? "sata" : "ide";
    }

    private static String format(DiskAttachment disk) {
        if (disk.format() == null || disk.format().isBlank()) {
            return "raw";
        }
        return disk.format();
    }

    private static String devicePrefix(String bus) {
        return switch (bus) {
            case "virtio" -> "vd";
            case "ide" -> "hd";
            default -> "sd";
        };
    }

    /** 0 → a, 25 → z, 26 → aa: the naming libvirt and Linux use for disks. */
    static String driveLetters(int index) {
        StringBuilder letters = new StringBuilder();
        int i = index;
        do {
            letters.insert(0, (char) ('a' + i % 26));
            i = i / 26 - 1;
        } while (i >= 0);
        return letters.toString();
    }

    private static void validate(DomainSpec spec) {
        checkInstanceId(spec.instanceId());
        if (spec.cores() < 1) {
            throw SkiffException.invalid("cores", "instance " + spec.instanceId() + ": cores must be at least 1");
        }
        if (spec.memoryBytes() < 1024L * 1024) {
            throw SkiffException.invalid("memoryBytes",
                    "instance " + spec.instanceId() + ": memory must be at least 1 MiB");
        }
        DeviceProfile p = spec.devices();
        if (p == null) {
            throw SkiffException.invalid("devices", "instance " + spec.instanceId() + ": no device profile");
        }
        oneOf(spec, "diskBus", p.diskBus(), DISK_BUSES);
        oneOf(spec, "nicModel", p.nicModel(), NIC_MODELS);
        oneOf(spec, "video", p.video(), VIDEO_MODELS);
        oneOf(spec, "machine", p.machine(), MACHINES);
        oneOf(spec, "firmware", p.firmware(), Set.of("bios", "uefi"));
        if ("ide".equals(p.diskBus()) && "q35".equals(p.machine())) {
            throw SkiffException.invalid("diskBus", "instance " + spec.instanceId()
                    + ": machine q35 has no IDE bus; use sata");
        }
        for (DiskAttachment disk : spec.disks()) {
            if (!"disk".equals(disk.device()) && !"cdrom".equals(disk.device())) {
                throw SkiffException.invalid("device", "instance " + spec.instanceId() + ": disk device '"
                        + disk.device() + "' must be disk or cdrom");
            }
            if ("disk".equals(disk.device()) && (disk.path() == null || disk.path().isBlank())) {
                throw SkiffException.invalid("path", "instance " + spec.instanceId() + ": a disk needs a path");
            }
            if (disk.format() != null && !disk.format().isBlank() && !FORMATS.contains(disk.format())) {
                throw SkiffException.invalid("format", "instance " + spec.instanceId() + ": disk format '"
                        + disk.format() + "' must be one of " + FORMATS);
            }
            checkXmlText(spec, "path", disk.path());
            if (disk.path() != null && !disk.path().isBlank()) {
                DiskSource.of(disk.path()); // an NFS URL libvirt cannot take is refused here
            }
        }
        if (spec.mediaDrive() != null) {
            if (!"cdrom".equals(spec.mediaDrive().device())) {
                throw SkiffException.invalid("mediaDrive", "instance " + spec.instanceId()
                        + ": the media drive is a cdrom device");
            }
            checkXmlText(spec, "mediaDrive", spec.mediaDrive().path());
        }
        if (spec.bootFrom() != null && !"disk".equals(spec.bootFrom()) && !"cdrom".equals(spec.bootFrom())) {
            throw SkiffException.invalid("bootFrom", "instance " + spec.instanceId() + ": bootFrom '" + spec.bootFrom()
                    + "' is not disk or cdrom");
        }
        for (NicAttachment nic : spec.nics()) {
            if (nic.mac() == null || !MAC.matcher(nic.mac()).matches()) {
                throw SkiffException.invalid("mac", "instance " + spec.instanceId() + ": '" + nic.mac()
                        + "' is not a MAC address");
            }
            if (nic.bridge() == null || !BRIDGE.matcher(nic.bridge()).matches()) {
                throw SkiffException.invalid("bridge", "instance " + spec.instanceId() + ": '" + nic.bridge()
                        + "' is not a bridge name");
            }
        }
        checkXmlText(spec, "name", spec.name());
        checkXmlText(spec, "serialLogPath", spec.serialLogPath());
        checkXmlText(spec, "leaseFile", spec.leaseFile());
        if (spec.leaseFile() != null) {
            DomainLease.of(spec.instanceId(), spec.leaseFile());
        }
        if (spec.consoleListen() != null && !spec.consoleListen().isBlank()
                && !LISTEN.matcher(spec.consoleListen()).matches()) {
            throw SkiffException.invalid("consoleListen", "instance " + spec.instanceId() + ": '"
                    + spec.consoleListen() + "' is not an address to listen on");
        }
        if (spec.consolePassword() != null && !CONSOLE_PASSWORD.matcher(spec.consolePassword()).matches()) {
            // the value itself is never put in the message
            throw SkiffException.invalid("consolePassword", "instance " + spec.instanceId()
                    + ": the VNC password must be 1 to 8 printable ASCII characters");
        }
    }

    private static void oneOf(DomainSpec spec, String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw SkiffException.invalid(field, "instance " + spec.instanceId() + ": " + field + " '" + value
                    + "' is not one of " + allowed.stream().sorted().toList());
        }
    }

    /** XML 1.0 cannot carry most control characters at all, escaped or not. */
    private static void checkXmlText(DomainSpec spec, String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || Character.isSurrogate(c) || (c >= 0xE000 && c <= 0xFFFD);
            if (!allowed) {
                throw SkiffException.invalid(field, "instance " + spec.instanceId() + ": " + field
                        + " contains the control character U+" + String.format("%04X", (int) c));
            }
        }
    }
}
