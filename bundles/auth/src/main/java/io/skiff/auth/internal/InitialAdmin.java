package io.skiff.auth.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

/**
 * Creates the first {@code admin} account when Skiff has none: its password is {@code SKIFF_ADMIN_PASSWORD}
 * when set (and acceptable), else generated and written once to {@code data/skiff/initial-admin-password}
 * (mode 600); a generated password must be changed ({@code passwordChangeRequired}). The file is removed when
 * the admin changes the password.
 */
public class InitialAdmin {
    public static final String USER = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Directory directory;
    private final Path passwordFile;

    public InitialAdmin(Directory directory, Path passwordFile) {
        this.directory = directory;
        this.passwordFile = passwordFile;
    }

    /**
     * Adds the admin account unless Skiff has users already.
     *
     * @param requested the password from the environment, or {@code null}
     * @return the clear password that was set, or {@code null} when accounts existed already
     */
    public String ensure(String requested) throws IOException {
        directory.ensureDefaultGroups();
        if (!directory.users().isEmpty()) {
            return null;
        }
        if (requested != null && !requested.isEmpty()) {
            if (requested.length() >= 8 && requested.strip().equals(requested)) {
                directory.createAdmin(USER, requested, false);
                LOG.info("admin account created; its password is the one given in SKIFF_ADMIN_PASSWORD");
                return requested;
            }
            LOG.error("SKIFF_ADMIN_PASSWORD must have at least 8 characters and no surrounding spaces;"
                    + " generating a password instead");
        }
        String password = generate();
        writePasswordFile(password);
        directory.createAdmin(USER, password, true);
        LOG.info("admin account created; its password is in {}", passwordFile);
        return password;
    }

    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private void writePasswordFile(String password) throws IOException {
        Files.createDirectories(passwordFile.getParent());
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(passwordFile, List.of(password), StandardCharsets.US_ASCII);
    }

    /** The generated password is no longer valid once changed: remove its file. */
    static void forgetPasswordFile(Path passwordFile) {
        try {
            Files.deleteIfExists(passwordFile);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", passwordFile, e.toString());
        }
    }
}
