package io.skiff.itests.multihost;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.storage.nfs.internal.NfsSettings;
import io.skiff.storage.nfs.internal.NfsStorageBackend;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One operation of the {@code nfs} storage backend, run as a program inside a test bed host (whose network alone
 * reaches the bed's NFS server): {@link NfsStorageIT} starts it there with {@code nsenter}. The backend is built
 * outside OSGi from its settings, as the component builds it from its configuration.
 *
 * <pre>
 * NfsBackendCommand libnfs SERVER EXPORT POOL OPERATION ARGS...
 * NfsBackendCommand mount SERVER EXPORT POOL LIBVIRT-URI MOUNT-PATH OPERATION ARGS...
 *   create NAME BYTES [BACKING] | import NAME FILE | resize NAME BYTES | find NAME | delete NAME | list | usage
 * </pre>
 *
 * Prints one line: {@code volume name=... path=... format=... capacity=... allocation=...}, {@code volumes
 * NAME,...}, {@code usage capacity=... allocation=... available=...}, {@code none} or {@code done}; a
 * SkiffException as {@code error kind=... field=... code=... message=...} with exit code 2.
 */
public final class NfsBackendCommand {
    private NfsBackendCommand() {
    }

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        boolean mount = a.get(0).equals("mount");
        NfsSettings settings = mount
                ? NfsSettings.mount(a.get(1), a.get(2), a.get(3), a.get(4), Path.of(a.get(5)))
                : NfsSettings.libnfs(a.get(1), a.get(2), a.get(3));
        List<String> op = a.subList(mount ? 6 : 4, a.size());
        try {
            System.out.println(run(new NfsStorageBackend(settings), op));
        } catch (SkiffException e) {
            System.out.println("error kind=" + e.kind() + " field=" + e.field() + " code=" + e.code() + " message="
                    + e.getMessage().replace('\n', ' '));
            System.exit(2);
        }
        System.exit(0); // the NFS client's threads are daemons, but do not wait for anything
    }

    private static String run(StorageBackend backend, List<String> op) {
        String pool = null; // the backend's own pool
        return switch (op.get(0)) {
            case "create" -> line(backend.create(pool, op.get(1), Long.parseLong(op.get(2)),
                    op.size() > 3 ? op.get(3) : null));
            case "import" -> line(backend.importFile(pool, op.get(1), Path.of(op.get(2))));
            case "resize" -> line(backend.resize(pool, op.get(1), Long.parseLong(op.get(2))));
            case "find" -> backend.find(pool, op.get(1)).map(NfsBackendCommand::line).orElse("none");
            case "delete" -> {
                backend.delete(pool, op.get(1));
                yield "done";
            }
            case "list" -> "volumes " + backend.list(pool).stream().map(Volume::name)
                    .collect(Collectors.joining(","));
            case "usage" -> {
                StoragePoolUsage u = backend.usage(pool);
                yield "usage capacity=" + u.capacityBytes() + " allocation=" + u.allocationBytes() + " available="
                        + u.availableBytes();
            }
            default -> throw new IllegalArgumentException("unknown operation " + op);
        };
    }

    private static String line(Volume v) {
        return "volume name=" + v.name() + " path=" + v.path() + " format=" + v.format() + " capacity="
                + v.capacityBytes() + " allocation=" + v.allocationBytes();
    }
}
