package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The NFS pools one backend serves, each with its own server, export and access mode, and so its own files and
 * volumes: the pool of the backend's configuration (when it names a server) and the pools the Core defines, which a
 * cell hands over with their first disk ({@link #define}). A request for any other pool is {@code NOT_FOUND} naming
 * {@code pool}; a request that names no pool goes to the configured one.
 */
final class NfsPools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NfsPools.class);

    /**
     * What a pool the Core defines takes from the backend's configuration.
     *
     * @param mountBase {@code mount} mode: the directory under which each such pool's export is mounted (by name)
     */
    record Defaults(Duration connectTimeout, Duration operationTimeout, String libvirtUri, Path mountBase) {
        static Defaults from(NfsStorageConfig config) {
            return new Defaults(Duration.ofSeconds(config.connectTimeoutSeconds()),
                    Duration.ofSeconds(config.operationTimeoutSeconds()), config.uri(),
                    Path.of(System.getProperty("karaf.data", "data"), "skiff", "nfs").toAbsolutePath().normalize());
        }

        /** The defaults of a backend made from one pool's settings (tests, tools). */
        static Defaults of(NfsSettings settings) {
            Path base = settings.mountPath() == null || settings.mountPath().getParent() == null
                    ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "nfs").toAbsolutePath().normalize()
                    : settings.mountPath().getParent();
            return new Defaults(settings.connectTimeout(), settings.operationTimeout(), settings.libvirtUri(), base);
        }
    }

    /** One pool: its settings, its files and its volumes. */
    private record Pool(NfsSettings settings, PoolFiles files, NfsVolumes volumes) {
    }

    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Defaults defaults;
    private final Function<NfsSettings, PoolFiles> filesOf;
    private final Function<NfsSettings, NfsQemuImg> qemuImgOf;
    /** The pool of the configuration, or {@code null} when the configuration names no server. */
    private final String configured;

    /**
     * @param configured the configuration's pool with its files and qemu-img, or {@code null} for none
     * @param filesOf the files of a pool the Core defines
     * @param qemuImgOf the qemu-img of a pool the Core defines
     */
    NfsPools(Defaults defaults, NfsSettings configured, PoolFiles files, NfsQemuImg qemuImg,
             Function<NfsSettings, PoolFiles> filesOf, Function<NfsSettings, NfsQemuImg> qemuImgOf) {
        this.defaults = defaults;
        this.filesOf = filesOf;
        this.qemuImgOf = qemuImgOf;
        this.configured = configured == null ? null : configured.poolName();
        if (configured != null) {
            add(configured, files, qemuImg);
        }
    }

    private void add(NfsSettings settings, PoolFiles files, NfsQemuImg qemuImg) {
        Pool old = pools.put(settings.poolName(), new Pool(settings, files,
                new NfsVolumes(settings.poolName(), files, qemuImg)));
        if (old != null && old.files() != files) {
            old.files().close();
        }
        try {
            files.check();
            LOG.info("NFS storage pool {} ready: {} ({} mode)", settings.poolName(), files.location(""),
                    settings.mode());
        } catch (SkiffException e) {
            LOG.warn("NFS storage pool {} at {}:{} is not reachable now, will retry on each use: {}",
                    settings.poolName(), settings.server(), settings.export(), e.getMessage());
        }
    }

    /**
     * Serves a pool the Core defines from now on; the same settings again change nothing, other settings replace the
     * pool's (the configured pool stays as configured).
     *
     * @throws SkiffException INVALID naming the setting that cannot work
     */
    synchronized void define(String name, Map<String, String> settings) {
        NfsSettings s = NfsSettings.ofPool(name, settings, defaults);
        Pool current = pools.get(s.poolName());
        if (current != null && (current.settings().equals(s) || s.poolName().equals(configured))) {
            return;
        }
        add(s, filesOf.apply(s), qemuImgOf.apply(s));
    }

    /**
     * Checks that the server answers and exports the export to this host, with the Java NFS client whatever the mode
     * (nothing is mounted or kept).
     *
     * @throws SkiffException INVALID naming {@code server} or {@code export} (or the setting that cannot work)
     */
    void check(String name, Map<String, String> settings) {
        NfsSettings s = NfsSettings.ofPool(name, settings, defaults).asLibnfs();
        try (PoolFiles files = filesOf.apply(s)) {
            files.check();
        }
    }

    /** @throws SkiffException NOT_FOUND (field {@code pool}) for a pool this backend does not serve */
    NfsVolumes volumes(String pool) {
        String name = pool == null || pool.isBlank() ? configured : pool;
        Pool p = name == null ? null : pools.get(name);
        if (p == null) {
            throw new SkiffException(Kind.NOT_FOUND, "not-found", "storage pool '" + pool + "' is not served by "
                    + "this nfs backend (it serves " + (pools.isEmpty() ? "none" : String.join(", ",
                    pools.keySet().stream().sorted().toList())) + ")", "pool");
        }
        return p.volumes();
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.files().close());
        pools.clear();
    }
}
