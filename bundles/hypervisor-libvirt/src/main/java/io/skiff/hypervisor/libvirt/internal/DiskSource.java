package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.libvirt.XmlWriter;
import org.w3c.dom.Element;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.skiff.libvirt.XmlDocuments.child;

/**
 * Where a disk's data is, as libvirt writes it: a local file ({@code <disk type='file'>}), a block device
 * ({@code /dev/...}, {@code type='block'}) or an NFS file that QEMU opens with its own userspace client
 * ({@code nfs://server/export/file.qcow2}, {@code type='network'} with {@code <source protocol='nfs'>}). A network
 * source carries {@code <identity user='root' group='root'/>}: QEMU's NFS client then acts as root, as the storage
 * backend does, and reads files it created with mode 600 (without it: {@code NFS: ACCESS denied}). Reading a
 * domain back gives the same path or URL, so a disk is found by the path its volume has.
 *
 * @param type the libvirt disk type: {@code file}, {@code block} or {@code network}
 * @param path the path or URL as Skiff knows it
 * @param host the NFS server of a network source (an IPv6 address without brackets), else {@code null}
 * @param name the file's path on the server, starting with {@code /}, of a network source, else {@code null}
 */
record DiskSource(String type, String path, String host, String name) {

    static final String NFS = "nfs://";
    /** {@code nfs://host/path}: a host name, an IPv4 address or an IPv6 address in brackets; no port, no query. */
    private static final Pattern NFS_URL = Pattern.compile(
            "nfs://(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]*)?(/[^?#]*)?([?#].*)?");

    /**
     * @throws SkiffException {@code INVALID} (field {@code path}) for an {@code nfs://} URL libvirt cannot take
     */
    static DiskSource of(String path) {
        if (!path.startsWith(NFS)) {
            return new DiskSource(path.startsWith("/dev/") ? "block" : "file", path, null, null);
        }
        Matcher m = NFS_URL.matcher(path);
        if (!m.matches()) {
            throw SkiffException.invalid("path", "'" + path + "' is not an NFS URL nfs://<server>/<export>/<file>");
        }
        if (m.group(2) != null) {
            throw SkiffException.invalid("path", "'" + path + "': libvirt's NFS disks take no port "
                    + "(the server's rpcbind finds NFS)");
        }
        if (m.group(4) != null) {
            throw SkiffException.invalid("path", "'" + path + "': an NFS disk URL takes no query or fragment");
        }
        if (m.group(3) == null || m.group(3).length() < 2 || m.group(3).endsWith("/")) {
            throw SkiffException.invalid("path", "'" + path + "' names no file on the server");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return new DiskSource("network", path, host, m.group(3));
    }

    boolean network() {
        return "network".equals(type);
    }

    /** Writes the {@code <source>} element. */
    void write(XmlWriter w) {
        switch (type) {
            case "network" -> {
                w.start("source", "protocol", "nfs", "name", name);
                w.empty("host", "name", host);
                w.empty("identity", "user", "root", "group", "root");
                w.end();
            }
            case "block" -> w.empty("source", "dev", path);
            default -> w.empty("source", "file", path);
        }
    }

    /**
     * @param disk a {@code <disk>} (or {@code <backingStore>}) element of libvirt's XML
     * @return the path or URL of its source: the file, the device, {@code nfs://host/name} for an NFS network
     *     source; {@code ""} when it has none (an empty CD-ROM drive) or one Skiff does not write
     */
    static String read(Element disk) {
        Element source = child(disk, "source");
        if (source == null) {
            return "";
        }
        if ("network".equals(disk.getAttribute("type"))) {
            Element host = child(source, "host");
            if (!"nfs".equals(source.getAttribute("protocol")) || host == null) {
                return "";
            }
            String name = host.getAttribute("name");
            return NFS + (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + source.getAttribute("name");
        }
        return source.hasAttribute("file") ? source.getAttribute("file") : source.getAttribute("dev");
    }
}
