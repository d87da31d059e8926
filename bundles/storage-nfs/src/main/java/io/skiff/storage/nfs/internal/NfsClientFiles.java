package io.skiff.storage.nfs.internal;

import com.emc.ecs.nfsclient.mount.MountException;
import com.emc.ecs.nfsclient.nfs.NfsException;
import com.emc.ecs.nfsclient.nfs.NfsFsStat;
import com.emc.ecs.nfsclient.nfs.NfsGetAttributes;
import com.emc.ecs.nfsclient.nfs.NfsSetAttributes;
import com.emc.ecs.nfsclient.nfs.NfsStatus;
import com.emc.ecs.nfsclient.nfs.io.NfsFileInputStream;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3;
import com.emc.ecs.nfsclient.rpc.CredentialUnix;
import com.emc.ecs.nfsclient.rpc.RpcException;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;
import io.skiff.api.spi.StoragePoolUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The export through a Java NFSv3 client (EMC's {@code com.emc.ecs:nfs-client}), with no kernel mount: the
 * {@code libnfs} mode's directory and file operations, beside QEMU's own client for the volumes' contents.
 * <p>
 * The client mounts the export once (MOUNT protocol through rpcbind) and keeps its root file handle; it acts as root
 * (AUTH_UNIX uid 0), as QEMU does with libvirt's {@code <identity user='root'/>}. Before mounting, a plain TCP
 * connection to rpcbind (port 111) with the configured time-out tells an unreachable server apart quickly (the
 * client's own time-outs are fixed at 10 s per try). A failed call drops the mount so that the next one starts afresh.
 */
final class NfsClientFiles implements PoolFiles {
    private static final Logger LOG = LoggerFactory.getLogger(NfsClientFiles.class);
    private static final int RETRIES = 2;
    private static final long DIRECTORY_MODE = 0755;

    private final NfsSettings settings;
    private Nfs3 nfs; // guarded by this

    NfsClientFiles(NfsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void requireReachable() {
        ServerProbe.requireReachable(settings);
    }

    @Override
    public String location(String path) {
        return NfsUrls.file(settings.server(), settings.export(), path);
    }

    @Override
    public Optional<String> pathOf(String location) {
        return NfsUrls.pathInExport(location, settings.server(), settings.export());
    }

    @Override
    public Optional<FileStat> stat(String path) {
        return call("look up", path, nfs -> {
            try {
                NfsGetAttributes a = nfs.newFile(absolute(path)).getAttributes();
                return Optional.of(new FileStat(a.getSize(), a.getUsed()));
            } catch (IOException e) {
                return missing(e, Optional.empty());
            }
        });
    }

    @Override
    public byte[] head(String path, int length) {
        return call("read", path, nfs -> {
            try (InputStream in = new NfsFileInputStream(nfs.newFile(absolute(path)), length)) {
                return in.readNBytes(length);
            }
        });
    }

    @Override
    public List<String> list(String directory) {
        return call("list", directory.isEmpty() ? "/" : directory, nfs -> {
            try {
                return nfs.newFile(absolute(directory)).list();
            } catch (IOException e) {
                return missing(e, List.of());
            }
        });
    }

    @Override
    public boolean delete(String path) {
        return call("delete", path, nfs -> {
            try {
                nfs.newFile(absolute(path)).remove();
                return true;
            } catch (IOException e) {
                return missing(e, false);
            }
        });
    }

    @Override
    public void createDirectory(String directory) {
        call("create directory", directory, nfs -> {
            NfsSetAttributes attributes = new NfsSetAttributes();
            attributes.setMode(DIRECTORY_MODE);
            try {
                nfs.newFile(absolute(directory)).mkdir(attributes);
            } catch (NfsException e) {
                if (e.getStatus() != NfsStatus.NFS3ERR_EXIST) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public boolean link(String existing, String name) {
        return call("link", name, nfs -> {
            try {
                nfs.newFile(absolute(name)).link(nfs.newFile(absolute(existing)));
                return true;
            } catch (NfsException e) {
                if (e.getStatus() == NfsStatus.NFS3ERR_EXIST) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public StoragePoolUsage usage() {
        return call("read the free space of", "/", nfs -> {
            NfsFsStat s = nfs.newFile("/").fsstat().getFsStat();
            return new StoragePoolUsage(s.tbytes, s.tbytes - s.fbytes, s.bytes);
        });
    }

    @Override
    public void check() {
        call("reach", "/", nfs -> null);
    }

    @Override
    public synchronized void close() {
        nfs = null; // the client keeps no open state on the server: MOUNT was undone right after the root handle came
    }

    // --- the client

    @FunctionalInterface
    private interface NfsCall<T> {
        T apply(Nfs3 nfs) throws IOException;
    }

    private <T> T call(String action, String path, NfsCall<T> call) {
        Nfs3 client = client();
        try {
            return call.apply(client);
        } catch (RpcException e) {
            drop(client);
            throw SkiffException.unavailable("cannot " + action + " " + location(path) + ": the NFS server did not "
                    + "answer (" + e.getMessage() + ")");
        } catch (NfsException e) {
            if (e.getStatus() == NfsStatus.NFS3ERR_STALE || e.getStatus() == NfsStatus.NFS3ERR_BADHANDLE) {
                drop(client); // the export was replaced on the server: mount it again next time
            }
            throw failure(action, path, e.getStatus() + ": " + e.getMessage());
        } catch (IOException e) {
            throw failure(action, path, e.toString());
        }
    }

    private SkiffException failure(String action, String path, String reason) {
        LOG.warn("cannot {} {}: {}", action, location(path), reason);
        return new SkiffException(Kind.INTERNAL, "storage-failed", "cannot " + action + " " + location(path) + ": "
                + reason, null);
    }

    private synchronized Nfs3 client() {
        if (nfs == null) {
            nfs = mount();
        }
        return nfs;
    }

    private synchronized void drop(Nfs3 client) {
        if (nfs == client) {
            nfs = null;
        }
    }

    private Nfs3 mount() {
        String server = settings.server();
        String export = settings.export();
        ServerProbe.unreachable(settings).ifPresent(reason -> {
            throw SkiffException.invalid("server", reason);
        });
        try {
            Nfs3 client = new Nfs3(server, export, new CredentialUnix(0, 0, Set.of()), RETRIES);
            LOG.info("NFS export {}:{} mounted (NFSv3, Java client)", server, export);
            return client;
        } catch (MountException e) {
            throw SkiffException.invalid("export", "NFS server '" + server + "' does not export '" + export
                    + "' to this host (" + e.getMessage() + "): check export in io.skiff.storage.nfs");
        } catch (IOException e) {
            throw SkiffException.invalid("server", "NFS server '" + server + "' does not answer as an NFSv3 server "
                    + "(rpcbind, mountd and nfsd over TCP): " + e.getMessage());
        }
    }

    /**
     * @return {@code whenMissing} when {@code e} says that the file (or a directory above it) does not exist
     * @throws IOException {@code e} otherwise
     */
    private static <T> T missing(IOException e, T whenMissing) throws IOException {
        if (e instanceof FileNotFoundException
                || (e instanceof NfsException n && n.getStatus() == NfsStatus.NFS3ERR_NOENT)) {
            return whenMissing;
        }
        throw e;
    }

    private static String absolute(String path) {
        return path.isEmpty() ? "/" : "/" + path;
    }
}
