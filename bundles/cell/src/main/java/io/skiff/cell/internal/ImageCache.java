package io.skiff.cell.internal;

import io.skiff.api.cell.ImageSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Images (or, in a second instance, the ISO media of instances' media drives) the cell has fetched from the Core,
 * by id: streamed over HTTP to a partial file, checked against the catalogue's SHA-256, then renamed into place.
 */
public class ImageCache {
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ImageCache(Path dir) {
        this.dir = dir;
    }

    /**
     * Copies a disk into a standalone qcow2 (its backing chain flattened, {@code qemu-img convert}) and uploads it
     * to the Core with a one-time token.
     *
     * @param disk the volume's path: a file, or a URL {@code qemu-img} opens itself ({@code nfs://...}), passed as it
     *     is (a {@link Path} would fold the URL's {@code //})
     * @return the bytes uploaded
     */
    public long capture(String disk, String url, String token) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path copy = dir.resolve("capture-" + java.util.UUID.randomUUID() + ".qcow2.part");
        try {
            Process convert = new ProcessBuilder("qemu-img", "convert", "-O", "qcow2", disk,
                    copy.toString()).redirectErrorStream(true).start();
            String output = new String(convert.getInputStream().readAllBytes());
            if (convert.waitFor() != 0) {
                throw new IOException("qemu-img convert " + disk + " failed: " + output.trim());
            }
            long size = Files.size(copy);
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofHours(1)).PUT(HttpRequest.BodyPublishers.ofFile(copy)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IOException("the Core answered " + response.statusCode() + " to the upload: "
                        + response.body());
            }
            return size;
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** @return where the image is (or would be) cached */
    public Path cached(ImageSource source) {
        if (!source.id().matches("[A-Za-z0-9-]+") || !source.format().matches("[a-z0-9]+")) {
            throw io.skiff.api.service.SkiffException.invalid("image", "bad image id or format");
        }
        return dir.resolve(source.id() + "." + source.format());
    }

    public synchronized Path fetch(ImageSource source) throws IOException, InterruptedException {
        Path target = cached(source);
        if (Files.exists(target)) {
            return target;
        }
        Files.createDirectories(dir);
        Path partial = dir.resolve(source.id() + ".partial");
        HttpRequest request = HttpRequest.newBuilder(URI.create(source.url()))
                .header("Authorization", "Bearer " + source.token()).timeout(Duration.ofHours(1)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the Core answered " + response.statusCode() + " for image " + source.id());
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(body, sha); OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equalsIgnoreCase(source.sha256())) {
                throw new IOException("image " + source.id() + " arrived with checksum " + actual + ", expected "
                        + source.sha256());
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            // QEMU runs as another user and reads the image as a backing file
            target.toFile().setReadable(true, false);
            return target;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
