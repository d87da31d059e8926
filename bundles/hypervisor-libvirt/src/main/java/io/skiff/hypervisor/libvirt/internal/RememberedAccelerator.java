package io.skiff.hypervisor.libvirt.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The accelerator the probe chose on this host, kept in a small file (in the cell's data directory) so that a
 * restart does not boot the probe guests again. The file names the host (libvirt's host UUID) and the QEMU version
 * it was probed with: a decision for another host or another QEMU is not taken, and the next probe replaces it.
 * Written to a temporary file and renamed, so a crash leaves the old file or the new one. A missing or unreadable
 * file only means probing again.
 */
final class RememberedAccelerator {
    private static final Logger LOG = LoggerFactory.getLogger(RememberedAccelerator.class);

    private final Path file;

    /** @param file where the decision is kept; {@code null}: nothing is remembered */
    RememberedAccelerator(Path file) {
        this.file = file;
    }

    /** @return the decision taken for this host and QEMU version, or {@code null} */
    Accelerator recall(String identity) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read the remembered accelerator {}: {}; probing again", file, e.toString());
            return null;
        }
        if (!identity.equals(p.getProperty("identity"))) {
            LOG.info("The remembered accelerator in {} is for {}, this is {}: probing again", file,
                    p.getProperty("identity"), identity);
            return null;
        }
        String reason = "remembered from the probe of " + p.getProperty("decidedAt", "an earlier start") + ": "
                + p.getProperty("reason", "");
        return switch (p.getProperty("accelerator", "")) {
            case "kvm" -> Accelerator.kvm(reason);
            case "tcg" -> Accelerator.tcg(reason);
            default -> null;
        };
    }

    /** Keeps a decision the probe took for this host and QEMU version. */
    void remember(String identity, Accelerator decided, String decidedAt) {
        if (file == null) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("identity", identity);
        p.setProperty("accelerator", decided.name());
        p.setProperty("reason", decided.reason());
        p.setProperty("decidedAt", decidedAt);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                p.store(out, "The accelerator Skiff's probe chose for this host and QEMU version (accel=auto); "
                        + "delete this file to probe again");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot remember the accelerator in {}: {}; the next start probes again", file, e.toString());
        }
    }
}
