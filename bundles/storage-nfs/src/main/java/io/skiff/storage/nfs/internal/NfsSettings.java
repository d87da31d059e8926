package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The NFS backend's settings, checked: each value that cannot work is refused with SkiffException INVALID naming its
 * setting, before anything talks to the server. Server names and exports are restricted to characters that go into
 * an {@code nfs://} URL and into libvirt XML as they are.
 *
 * @param server host name, IPv4 or IPv6 address of the NFS server
 * @param export the exported directory ({@code /export}), without a trailing {@code /}
 * @param mode how this host reaches the export
 * @param poolName the storage pool this backend serves
 * @param connectTimeout how long the server may take to accept a connection
 * @param operationTimeout how long one qemu-img run may take
 * @param libvirtUri libvirt connection (mount mode)
 * @param mountPath the mount point of the export (mount mode)
 */
public record NfsSettings(String server, String export, AccessMode mode, String poolName, Duration connectTimeout,
                          Duration operationTimeout, String libvirtUri, Path mountPath) {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern EXPORT_SEGMENT = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]*");
    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public NfsSettings {
        server = server == null ? "" : server.trim();
        if (server.isEmpty()) {
            throw SkiffException.invalid("server", "server of io.skiff.storage.nfs is empty: set the NFS server's "
                    + "host name or address");
        }
        if (!HOST_NAME.matcher(server).matches() && !IPV6.matcher(server).matches()) {
            throw SkiffException.invalid("server", "server '" + server + "' of io.skiff.storage.nfs is not a host "
                    + "name, IPv4 or IPv6 address");
        }
        export = normalExport(export);
        if (mode == null) {
            throw SkiffException.invalid("mode", "mode of io.skiff.storage.nfs is not set");
        }
        poolName = poolName == null ? "" : poolName.trim();
        if (!POOL_NAME.matcher(poolName).matches()) {
            throw SkiffException.invalid("poolName", "poolName '" + poolName + "' of io.skiff.storage.nfs may contain "
                    + "only letters, digits, '.', '-' and '_', must start with a letter or digit and be at most 64 "
                    + "characters");
        }
        requirePositive(connectTimeout, "connectTimeoutSeconds");
        requirePositive(operationTimeout, "operationTimeoutSeconds");
        if (mode == AccessMode.MOUNT && (mountPath == null || !mountPath.isAbsolute())) {
            throw SkiffException.invalid("mountPath", "mountPath '" + mountPath + "' of io.skiff.storage.nfs must be "
                    + "an absolute directory");
        }
    }

    /** The settings of a configuration; an empty mount path is {@code <karaf.data>/skiff/nfs/<poolName>}. */
    static NfsSettings from(NfsStorageConfig config) {
        String pool = config.poolName() == null ? "" : config.poolName().trim();
        Path mount = config.mountPath() == null || config.mountPath().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "nfs", pool)
                : Path.of(config.mountPath().trim());
        return new NfsSettings(config.server(), config.export(), AccessMode.parse(config.mode()), pool,
                Duration.ofSeconds(config.connectTimeoutSeconds()),
                Duration.ofSeconds(config.operationTimeoutSeconds()),
                config.uri(), mount.toAbsolutePath().normalize());
    }

    /**
     * The settings of a pool the Core defines ({@code server}, {@code export}, {@code mode}), with the time-outs and
     * the libvirt connection of this backend's configuration; in {@code mount} mode the export is mounted at
     * {@code <mountBase>/<poolName>}.
     */
    static NfsSettings ofPool(String poolName, Map<String, String> pool, NfsPools.Defaults defaults) {
        Map<String, String> given = pool == null ? Map.of() : pool;
        String name = poolName == null ? "" : poolName.trim();
        return new NfsSettings(given.get("server"), given.get("export"), AccessMode.parse(given.get("mode")), name,
                defaults.connectTimeout(), defaults.operationTimeout(), defaults.libvirtUri(),
                defaults.mountBase().resolve(name.isEmpty() ? "pool" : name).toAbsolutePath().normalize());
    }

    /** The same export reached with QEMU's and the Java client's own NFS client (no mount). */
    NfsSettings asLibnfs() {
        return new NfsSettings(server, export, AccessMode.LIBNFS, poolName, connectTimeout, operationTimeout,
                libvirtUri, mountPath);
    }

    /** Settings of the {@code libnfs} mode with default time-outs (5 s to connect, 30 min a qemu-img run). */
    public static NfsSettings libnfs(String server, String export, String poolName) {
        return new NfsSettings(server, export, AccessMode.LIBNFS, poolName, Duration.ofSeconds(5),
                Duration.ofMinutes(30), null, null);
    }

    /** Settings of the {@code mount} mode with default time-outs. */
    public static NfsSettings mount(String server, String export, String poolName, String libvirtUri, Path mountPath) {
        return new NfsSettings(server, export, AccessMode.MOUNT, poolName, Duration.ofSeconds(5),
                Duration.ofMinutes(30), libvirtUri, mountPath);
    }

    private static String normalExport(String export) {
        String e = export == null ? "" : export.trim();
        if (!e.startsWith("/")) {
            throw SkiffException.invalid("export", "export '" + e + "' of io.skiff.storage.nfs must be the absolute "
                    + "path the server exports, e.g. /export");
        }
        while (e.length() > 1 && e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        if (e.length() > 1) {
            for (String segment : e.substring(1).split("/", -1)) {
                if (!EXPORT_SEGMENT.matcher(segment).matches()) {
                    throw SkiffException.invalid("export", "export '" + e + "' of io.skiff.storage.nfs may contain "
                            + "only letters, digits, '.', '_', '+' and '-' between single '/' (no '.' or '..' parts)");
                }
            }
        }
        return e;
    }

    private static void requirePositive(Duration timeout, String field) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw SkiffException.invalid(field, field + " of io.skiff.storage.nfs must be at least 1, not "
                    + (timeout == null ? null : timeout.toSeconds()));
        }
    }
}
