package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a volume's backing chain with {@code qemu-img info --backing-chain} (QEMU's own NFS client reads the qcow2
 * headers of {@code nfs://} URLs). The image lines of the human-readable output are enough: one paragraph per layer,
 * {@code image:} and {@code file format:} at the start of a line ({@code -U}: a running guest's volume is read too).
 */
final class QemuImgBackingChain implements BackingChain {

    private final String qemuImg;
    private final Duration timeout;

    QemuImgBackingChain(String qemuImg, Duration timeout) {
        this.qemuImg = qemuImg;
        this.timeout = timeout;
    }

    @Override
    public List<Layer> below(String path) {
        String output;
        try {
            Process p = new ProcessBuilder(qemuImg, "info", "-U", "--backing-chain", path)
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw SkiffException.unavailable("reading the backing chain of " + path + ": qemu-img info did not "
                        + "answer within " + timeout.toSeconds() + " s (is the NFS server up?)");
            }
            output = new String(read.join(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw SkiffException.unavailable("reading the backing chain of " + path + ": " + output);
            }
        } catch (IOException e) {
            throw SkiffException.unavailable("reading the backing chain of " + path + ": cannot run " + qemuImg
                    + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable("interrupted while reading the backing chain of " + path);
        }
        List<Layer> layers = parse(output);
        return layers.isEmpty() ? layers : layers.subList(1, layers.size());
    }

    /** @return every layer of {@code qemu-img info --backing-chain}'s output, the volume itself first */
    static List<Layer> parse(String output) {
        List<Layer> layers = new ArrayList<>();
        String image = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("image: ")) {
                image = line.substring("image: ".length()).strip();
            } else if (line.startsWith("file format: ") && image != null) {
                layers.add(new Layer(image, line.substring("file format: ".length()).strip()));
                image = null;
            }
        }
        return List.copyOf(layers);
    }
}
