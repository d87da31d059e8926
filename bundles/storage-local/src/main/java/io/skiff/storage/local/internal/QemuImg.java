package io.skiff.storage.local.internal;

import io.skiff.api.service.SkiffException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code qemu-img} (Debian package {@code qemu-utils}) for the one job libvirt has no call for: a full copy of a file outside any pool. */
final class QemuImg {
    private final String executable;

    QemuImg(String executable) {
        this.executable = executable;
    }

    /**
     * Writes {@code source} as a standalone qcow2 image: a qcow2 overlay is flattened (its backing chain read through),
     * a raw image converted, unallocated areas stay sparse.
     *
     * @param sourceFormat given explicitly, so QEMU never probes the format of a raw file
     */
    void convertToQcow2(Path source, String sourceFormat, Path target, String volume) {
        run(List.of(executable, "convert", "-q", "-f", sourceFormat, "-O", "qcow2", source.toString(), target.toString()),
                "cannot import '" + source + "' as volume '" + volume + "'");
    }

    /**
     * @return {backing file, its format} of a qcow2 image (the full path as QEMU resolves it), or {@code null} when it
     *     has none
     */
    String[] backing(Path image, String volume) {
        String json = run(List.of(executable, "info", "--output=json", "-U", "-f", "qcow2", image.toString()),
                "cannot read volume '" + volume + "'");
        java.util.regex.Matcher file = java.util.regex.Pattern.compile("\"full-backing-filename\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        if (!file.find()) {
            return null;
        }
        java.util.regex.Matcher format = java.util.regex.Pattern.compile("\"backing-filename-format\"\\s*:\\s*\"([a-z0-9]+)\"")
                .matcher(json);
        return new String[]{file.group(1).replace("\\/", "/"), format.find() ? format.group(1) : "qcow2"};
    }

    /**
     * Rewrites a qcow2 image without its unused clusters; an overlay stays an overlay of the same backing file
     * ({@code -B}): only what differs from the backing file is written.
     */
    void compact(Path source, Path target, String[] backing, String volume) {
        List<String> command = new java.util.ArrayList<>(List.of(executable, "convert", "-q", "-f", "qcow2",
                "-O", "qcow2"));
        if (backing != null) {
            command.addAll(List.of("-B", backing[0], "-F", backing[1]));
        }
        command.addAll(List.of(source.toString(), target.toString()));
        run(command, "cannot compact volume '" + volume + "'");
    }

    /**
     * @return the end of the last range of {@code image} (read through its backing chain) that holds data other than
     *     zeros, 0 for an image with none ({@code qemu-img map})
     */
    long dataEnd(Path image, String format, String volume) {
        String json = run(List.of(executable, "map", "--output=json", "-U", "-f", format, image.toString()),
                "cannot map volume '" + volume + "'");
        return dataEnd(json);
    }

    /** The data end of {@code qemu-img map --output=json} output. */
    static long dataEnd(String mapJson) {
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("\\{[^{}]*}").matcher(mapJson);
        long end = 0;
        while (range.find()) {
            String r = range.group();
            if (r.matches("(?s).*\"data\"\\s*:\\s*true.*") && !r.matches("(?s).*\"zero\"\\s*:\\s*true.*")) {
                end = Math.max(end, number(r, "start") + number(r, "length"));
            }
        }
        return end;
    }

    private static long number(String object, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(object);
        if (!m.find()) {
            throw new IllegalArgumentException("qemu-img map entry without " + key + ": " + object);
        }
        return Long.parseLong(m.group(1));
    }

    private String run(List<String> command, String failure) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw SkiffException.unavailable(failure + ": cannot run " + executable
                    + " (install qemu-utils): " + e.getMessage());
        }
        try (InputStream out = process.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = process.waitFor();
            if (rc != 0) {
                throw new SkiffException(SkiffException.Kind.INTERNAL, "storage-failed",
                        failure + ": qemu-img exited with " + rc + (output.isEmpty() ? "" : ": " + output), null);
            }
            return output;
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "storage-failed", failure + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable(failure + ": interrupted");
        } finally {
            process.destroy();
        }
    }
}
