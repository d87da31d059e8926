package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SkiffException.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code qemu-img} (Debian packages {@code qemu-utils} and, for {@code nfs://} URLs, {@code qemu-block-extra})
 * for what is written into volumes: create, linked clone, full copy, grow. Locations are {@code nfs://} URLs or file
 * names; formats are always given, so QEMU never probes a raw file. A run that takes longer than the time-out (an
 * NFS server that stopped answering) is killed.
 */
final class NfsQemuImg {
    private final String executable;
    private final Duration timeout;

    NfsQemuImg(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** An empty qcow2 volume. */
    void create(String target, long capacityBytes, String volume) {
        run(List.of("create", "-q", "-f", "qcow2", target, Long.toString(capacityBytes)),
                "cannot create volume '" + volume + "'");
    }

    /**
     * A linked clone: a qcow2 overlay that reads unchanged blocks from {@code backing}, named in the overlay as given
     * (an absolute {@code nfs://} URL, which QEMU opens on any host, never a name relative to the overlay).
     */
    void createOverlay(String target, String backing, String backingFormat, long capacityBytes, String volume) {
        run(List.of("create", "-q", "-f", "qcow2", "-F", backingFormat, "-b", backing, target,
                Long.toString(capacityBytes)), "cannot create volume '" + volume + "' as a linked clone of " + backing);
    }

    /** A standalone qcow2 copy of an image (a qcow2 overlay flattened, raw converted, unallocated areas sparse). */
    void convertToQcow2(String source, String sourceFormat, String target, String what) {
        run(List.of("convert", "-q", "-f", sourceFormat, "-O", "qcow2", source, target), "cannot copy " + what);
    }

    /** Grows a qcow2 volume to {@code capacityBytes}. */
    void grow(String target, long capacityBytes, String volume) {
        run(List.of("resize", "-q", "-f", "qcow2", target, Long.toString(capacityBytes)),
                "cannot resize volume '" + volume + "'");
    }

    private void run(List<String> arguments, String failure) {
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(arguments);
        Path output = null;
        Process process = null;
        try {
            // output to a file: nothing to drain while waiting with a time-out
            output = Files.createTempFile("skiff-qemu-img-", ".out");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw SkiffException.unavailable(failure + ": qemu-img did not finish within " + timeout.toSeconds()
                        + " s (operationTimeoutSeconds of io.skiff.storage.nfs); is the NFS server answering?");
            }
            if (process.exitValue() != 0) {
                String text = Files.readString(output, StandardCharsets.UTF_8).trim();
                throw new SkiffException(Kind.INTERNAL, "storage-failed", failure + ": qemu-img exited with "
                        + process.exitValue() + (text.isEmpty() ? "" : ": " + text), null);
            }
        } catch (IOException e) {
            throw SkiffException.unavailable(failure + ": cannot run " + executable + " (install qemu-utils and "
                    + "qemu-block-extra): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable(failure + ": interrupted");
        } finally {
            if (process != null) {
                process.destroy();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind; nothing depends on it
                }
            }
        }
    }
}
