package io.skiff.guestinit.internal;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code genisoimage} (Debian package {@code genisoimage}) to write an ISO 9660 volume with Rock Ridge and Joliet. */
final class GenIsoImage {
    private final String executable;

    GenIsoImage(String executable) {
        this.executable = executable;
    }

    /** Writes {@code files} (at the volume's root) into {@code iso}, labelled {@code volumeId}. */
    void write(Path iso, String volumeId, List<Path> files) {
        List<String> command = new ArrayList<>(List.of(executable, "-quiet", "-output", iso.toString(),
                "-volid", volumeId, "-joliet", "-rock"));
        files.forEach(f -> command.add(f.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw SkiffException.unavailable("cannot write the guest seed: cannot run " + executable
                    + " (install genisoimage): " + e.getMessage());
        }
        try (InputStream out = process.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new SkiffException(SkiffException.Kind.INTERNAL, "seed-failed",
                        "cannot write the guest seed: " + executable + " did not finish within 60 s", null);
            }
            if (process.exitValue() != 0) {
                throw new SkiffException(SkiffException.Kind.INTERNAL, "seed-failed", "cannot write the guest seed: "
                        + executable + " exited with " + process.exitValue() + (output.isEmpty() ? "" : ": " + output), null);
            }
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "seed-failed",
                    "cannot write the guest seed: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable("cannot write the guest seed: interrupted");
        } finally {
            process.destroy();
        }
    }
}
