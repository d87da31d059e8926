package io.skiff.transport.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.stream.Collectors;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared AES key of a domain, kept in a file: one line of base64 (16, 24 or 32 bytes; {@code #} lines are
 * comments), so an admin can also make one with {@code openssl rand -base64 32}. The first node creates it with
 * permissions 600; every other node of the domain needs a copy. Holding the key is what makes a node a member: a node
 * with another key can neither read nor join the domain.
 */
final class ClusterKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterKeyFile.class);
    static final String ALGORITHM = "AES";
    private static final int NEW_KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ClusterKeyFile() {
    }

    /** Reads the key, creating the file with a new random AES-256 key when it does not exist. */
    static SecretKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                create(file);
            } catch (FileAlreadyExistsException ex) {
                // another node on this host created it first: use that one
                LOG.debug("cluster key {} created concurrently; reading it", file);
            }
        }
        return read(file);
    }

    static SecretKey read(Path file) throws IOException {
        warnIfReadableByOthers(file);
        String text = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.joining());
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            throw new IOException("cluster key " + file + " is not base64", ex);
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IOException("cluster key " + file + " has " + key.length + " bytes; an AES key has 16, 24 or 32");
        }
        return new SecretKeySpec(key, ALGORITHM);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] key = new byte[NEW_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        String content = "# Skiff cluster key: copy this file to every node of the domain; keep it secret\n"
                + Base64.getEncoder().encodeToString(key) + "\n";
        // written aside and moved in, so that a concurrent reader never sees a half-written key
        Path tmp = posix(file)
                ? Files.createTempFile(dir, ".skiff-cluster", ".tmp", ownerOnly())
                : Files.createTempFile(dir, ".skiff-cluster", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, file);
            LOG.info("created cluster key {} (AES-256); copy it to every node of the domain", file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        if (posix(file)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("cluster key {} is readable by others ({}); chmod 600 it",
                        file, PosixFilePermissions.toString(perms));
            }
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
