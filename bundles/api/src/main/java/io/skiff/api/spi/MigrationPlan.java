package io.skiff.api.spi;

import java.util.Map;

/**
 * How a running domain moves to another host: where to, which of its file paths are called differently there, and
 * whether its disks are copied.
 *
 * @param targetUri the target host's hypervisor URI, e.g. {@code qemu+tcp://10.0.0.12/system}
 * @param pathRewrites source path → target path, for every file the domain names that lives elsewhere on the target
 *     (local volumes, the seed, the media ISO, the console log); a path that is not listed stays as it is (shared
 *     storage)
 * @param consoleListen the address the domain's VNC server listens on at the target
 * @param copyStorage copy the disks' content to the target's volumes while the guest runs (non-shared storage)
 * @param bandwidthMiBps the most the migration may send per second, in MiB; 0: as fast as it can
 * @param tls encrypt the migration stream with the hypervisor's own migration TLS (both hosts hold certificates of
 *     one CA); the migration fails rather than fall back to clear text
 */
public record MigrationPlan(String targetUri, Map<String, String> pathRewrites, String consoleListen,
                            boolean copyStorage, long bandwidthMiBps, boolean tls) {
    public MigrationPlan {
        pathRewrites = Map.copyOf(pathRewrites);
    }

    /** A plan whose stream is not encrypted by the hypervisor. */
    public MigrationPlan(String targetUri, Map<String, String> pathRewrites, String consoleListen,
                         boolean copyStorage, long bandwidthMiBps) {
        this(targetUri, pathRewrites, consoleListen, copyStorage, bandwidthMiBps, false);
    }
}
