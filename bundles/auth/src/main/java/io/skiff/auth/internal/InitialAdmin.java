package io.skiff.auth.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates the first {@code admin} account in Karaf's users file at first start: its password is
 * {@code SKIFF_ADMIN_PASSWORD} when set, else generated and written once to
 * {@code data/skiff/initial-admin-password} (mode 600). Karaf's properties login module (with encryption
 * enabled) replaces the clear password by its hash at the first sign-in, which {@link AuthServiceImpl}
 * performs right after.
 */
public class InitialAdmin {
    public static final String USER = "admin";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final Pattern USER_LINE = Pattern.compile("^\\s*admin\\s*[=:].*");

    private final Path usersFile;
    private final Path passwordFile;

    public InitialAdmin(Path usersFile, Path passwordFile) {
        this.usersFile = usersFile;
        this.passwordFile = passwordFile;
    }

    /** @return whether the users file has an admin account */
    public boolean exists() throws IOException {
        return Files.exists(usersFile)
                && Files.readAllLines(usersFile).stream().anyMatch(l -> USER_LINE.matcher(l).matches());
    }

    /**
     * Adds the admin account unless it exists.
     *
     * @param requested the password from the environment, or {@code null}
     * @return the clear password that was set, or {@code null} when the account existed already
     */
    public String ensure(String requested) throws IOException {
        if (exists()) {
            return null;
        }
        String password;
        if (requested != null && !requested.isEmpty()) {
            checkUsable(requested);
            password = requested;
        } else {
            password = generate();
            writePasswordFile(password);
        }
        String line = USER + " = " + escape(password) + ",_g_:admingroup" + System.lineSeparator();
        Files.createDirectories(usersFile.getParent());
        Files.writeString(usersFile, line, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return password;
    }

    /** Karaf's users file separates password and groups with commas, so a password cannot hold one. */
    static void checkUsable(String password) {
        if (password.contains(",") || password.chars().anyMatch(c -> c < 0x20 || c > 0x7e)
                || !password.strip().equals(password)) {
            throw new IllegalArgumentException("SKIFF_ADMIN_PASSWORD must be printable ASCII without commas"
                    + " or surrounding spaces");
        }
        if (password.length() < 8) {
            throw new IllegalArgumentException("SKIFF_ADMIN_PASSWORD must have at least 8 characters");
        }
    }

    static String escape(String password) {
        StringBuilder b = new StringBuilder();
        for (char c : password.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == '#' || c == '!') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
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
}
