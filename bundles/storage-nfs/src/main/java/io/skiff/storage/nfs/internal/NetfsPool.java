package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.libvirt.XmlDocuments;
import io.skiff.libvirt.XmlWriter;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code mount} mode's libvirt {@code netfs} pool: libvirt mounts the export with the host's kernel NFS client
 * ({@code mount.nfs}) at the pool's target directory, and unmounts it when the pool stops. Defined persistently,
 * built, started and marked autostart when missing, each only once; an existing pool of that name is used as it is
 * when it is a {@code netfs} pool. Nothing is mounted at construction: a host that cannot mount fails the first
 * operation, with a message that says why.
 */
final class NetfsPool implements MountedFiles.Mount {
    private static final Logger LOG = LoggerFactory.getLogger(NetfsPool.class);
    /** Only root and, after libvirt relabels a file for a domain, QEMU reach the volumes. */
    static final String MODE = "0711";

    private final LibvirtConnection libvirt;
    private final NfsSettings settings;
    private volatile Path mounted;

    NetfsPool(LibvirtConnection libvirt, NfsSettings settings) {
        this.libvirt = libvirt;
        this.settings = settings;
    }

    /** The pool definition: {@code server:export} mounted as NFS at {@code target}. */
    static String xml(String name, String server, String export, Path target) {
        XmlWriter w = new XmlWriter();
        w.start("pool", "type", "netfs");
        w.text("name", name);
        w.start("source");
        w.empty("host", "name", server);
        w.empty("dir", "path", export);
        w.empty("format", "type", "nfs");
        w.end();
        w.start("target");
        w.text("path", target.toString());
        w.start("permissions");
        w.text("mode", MODE);
        w.end();
        w.end();
        w.end();
        return w.finish();
    }

    /** @return the directory the volumes are in: the mount point once mounted, the configured one before */
    @Override
    public void requireReachable() {
        ServerProbe.requireReachable(settings);
    }

    @Override
    public Path directory() {
        Path m = mounted;
        return m != null ? m : settings.mountPath();
    }

    /** Mounts the export (defining and starting the pool) unless that was done. */
    @Override
    public Path mount() {
        Path m = mounted;
        if (m != null) {
            return m;
        }
        synchronized (this) {
            if (mounted == null) {
                try {
                    mounted = libvirt.call(this::ensureStarted);
                } catch (LibvirtException e) {
                    if (LibvirtErrors.isConnectionError(e)) {
                        throw SkiffException.unavailable("cannot mount NFS storage pool '" + settings.poolName()
                                + "': libvirt at " + libvirt.uri() + " is not reachable: " + LibvirtErrors.reason(e));
                    }
                    throw failure(settings, settings.mountPath(), LibvirtErrors.reason(e));
                }
            }
            return mounted;
        }
    }

    @Override
    public void close() {
        libvirt.close();
    }

    private Path ensureStarted(Connect c) throws LibvirtException {
        String name = settings.poolName();
        StoragePool pool;
        boolean defined = false;
        try {
            pool = c.storagePoolLookupByName(name);
        } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                throw e;
            }
            pool = c.storagePoolDefineXML(xml(name, settings.server(), settings.export(), settings.mountPath()), 0);
            defined = true;
            LOG.info("Storage pool {} defined: nfs {}:{} at {}", name, settings.server(), settings.export(),
                    settings.mountPath());
        }
        Element root = XmlDocuments.root(pool.getXMLDesc(0));
        if (!"netfs".equals(root.getAttribute("type"))) {
            throw new SkiffException(Kind.CONFLICT, "conflict", "libvirt storage pool '" + name + "' is a "
                    + root.getAttribute("type") + " pool, not netfs: set another poolName in io.skiff.storage.nfs",
                    "poolName");
        }
        Element target = XmlDocuments.child(root, "target");
        Path path = Path.of(XmlDocuments.childText(target, "path").trim());
        if (pool.isActive() == 0) {
            if (defined || !Files.isDirectory(path)) {
                pool.build(0); // the mount point, with the pool's mode
            }
            pool.create(0); // mount.nfs
            LOG.info("Storage pool {} started: nfs {}:{} mounted at {}", name, settings.server(), settings.export(),
                    path);
        }
        if (!pool.getAutostart()) {
            pool.setAutostart(1);
        }
        return path;
    }

    /**
     * What a failed mount means for the caller. libvirt reports every mount failure as an internal error carrying
     * {@code mount.nfs}'s own words, so those words are all there is to tell a host without an NFS client from a
     * wrong server or export.
     */
    static SkiffException failure(NfsSettings settings, Path target, String reason) {
        String what = "cannot mount nfs " + settings.server() + ":" + settings.export() + " at " + target
                + " (storage pool '" + settings.poolName() + "')";
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no such device") || r.contains("unknown filesystem type")) {
            return new SkiffException(Kind.UNAVAILABLE, "unsupported", what + ": this host's kernel has no NFS "
                    + "client (" + reason + "); use mode = libnfs in io.skiff.storage.nfs", null);
        }
        if (r.contains("access denied") || r.contains("no such file or directory")) {
            return SkiffException.invalid("export", what + ": the server does not export '" + settings.export()
                    + "' to this host (" + reason + ")");
        }
        if (r.contains("connection refused") || r.contains("timed out") || r.contains("no route to host")
                || r.contains("network is unreachable") || r.contains("failed to resolve")
                || r.contains("name or service not known")) {
            return SkiffException.invalid("server", what + ": NFS server '" + settings.server()
                    + "' is not reachable (" + reason + ")");
        }
        return SkiffException.unavailable(what + ": " + reason);
    }
}
