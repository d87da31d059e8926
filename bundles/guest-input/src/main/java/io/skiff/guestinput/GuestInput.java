package io.skiff.guestinput;

import io.skiff.api.service.SkiffException;
import org.apache.commons.codec.digest.Sha2Crypt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what is put into a guest, in one place: a host name, a Linux user name, a password (turned into a
 * SHA-512 crypt(3) hash at once, so the plain text never leaves the Core and is never logged) or such a hash, the
 * user a password or SSH keys belong to, SSH public keys, and the file system and mount point of a data disk. The
 * Core checks a request with them and the Cell checks a seed with them again before writing it. Each check names the
 * request field it is about in its {@code INVALID} error.
 */
public final class GuestInput {
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** SHA-512 crypt ({@code $6$}, with or without {@code rounds=}): the only kind the Core makes. */
    private static final Pattern SHA512_CRYPT = Pattern.compile("\\$6\\$[./A-Za-z0-9$=,]+");
    private static final Pattern SSH_KEY =
            Pattern.compile("(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\\r\\n]*)?");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    /** The longest password accepted. */
    public static final int MAX_PASSWORD = 256;
    /** The longest SSH public key accepted (with its comment). */
    public static final int MAX_SSH_KEY = 16384;
    /** The longest mount point accepted. */
    public static final int MAX_MOUNT_POINT = 255;
    /** The file systems a data disk may be given. */
    public static final List<String> FILESYSTEMS = List.of("ext4", "ext3", "xfs", "btrfs", "vfat");

    private GuestInput() {
    }

    /** @return the hash of a plain password, SHA-512 crypt with a random salt */
    public static String hash(String field, String password) {
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw SkiffException.invalid(field, "a password of 1 to " + MAX_PASSWORD + " characters is required");
        }
        if (password.chars().anyMatch(c -> c < 0x20)) {
            throw SkiffException.invalid(field, "control characters are not allowed in a password");
        }
        return Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the hash of a password that comes hashed: SHA-512 crypt(3) only, the kind {@link #hash} makes */
    public static String passwordHash(String field, String hash) {
        if (hash == null || !SHA512_CRYPT.matcher(hash).matches()) {
            throw SkiffException.invalid(field, "not a SHA-512 crypt(3) hash ($6$salt$hash)");
        }
        return hash;
    }

    /** @return the host name: labels of letters, digits and inner '-', at most 253 characters in all */
    public static String hostname(String field, String hostname) {
        if (hostname == null || hostname.isEmpty() || hostname.length() > 253) {
            throw SkiffException.invalid(field, "a host name of 1 to 253 characters is required");
        }
        for (String label : hostname.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                throw SkiffException.invalid(field, "'" + hostname + "' is not a valid host name: labels of "
                        + "letters, digits and '-' (1 to 63 characters, not starting or ending with '-')");
            }
        }
        return hostname;
    }

    /** @return the user name: a Linux account name */
    public static String user(String field, String user) {
        if (user == null || !USER.matcher(user).matches()) {
            throw SkiffException.invalid(field, "a user name of lower-case letters, digits, '_' and '-' "
                    + "(1 to 32, not starting with a digit or '-') is required");
        }
        return user;
    }

    /**
     * A password and SSH keys belong to a user: without one they are refused.
     *
     * @param user the user, or {@code null} when there is none
     */
    public static void requireUser(String userField, String user, boolean password, boolean sshKeys) {
        if (user != null) {
            return;
        }
        if (password) {
            throw SkiffException.invalid(userField, "a password needs the user it belongs to");
        }
        if (sshKeys) {
            throw SkiffException.invalid(userField, "SSH keys need the user they are authorised for");
        }
    }

    /** @return the key without surrounding white space: an OpenSSH public key on one line */
    public static String sshKey(String field, String key) {
        if (key == null || key.length() > MAX_SSH_KEY || !SSH_KEY.matcher(key.strip()).matches()) {
            throw SkiffException.invalid(field, "not an OpenSSH public key on one line "
                    + "(e.g. 'ssh-ed25519 AAAA... comment')");
        }
        return key.strip();
    }

    /** @return the file system, one of {@link #FILESYSTEMS} */
    public static String filesystem(String field, String filesystem) {
        if (filesystem == null || !FILESYSTEMS.contains(filesystem)) {
            throw SkiffException.invalid(field, "one of " + FILESYSTEMS + " is required");
        }
        return filesystem;
    }

    /**
     * A data disk's mount point: an absolute path of names made of letters, digits, '.', '_' and '-', none of them
     * empty, {@code .} or containing {@code ..}, at most {@link #MAX_MOUNT_POINT} characters. So it is never the
     * root file system under another spelling ({@code //}, {@code /.}) and never leaves the place it names; and
     * each path has one spelling, so a mount point used twice is noticed.
     *
     * @param taken the mount points before this one; it is added
     * @return the mount point
     */
    public static String mountPoint(String field, String path, Set<String> taken) {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.length() > MAX_MOUNT_POINT
                || path.contains("..")) {
            throw SkiffException.invalid(field, "an absolute path other than '/' is required");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (!PATH_SEGMENT.matcher(segment).matches() || segment.equals(".")) {
                throw SkiffException.invalid(field, "an absolute path other than '/' is required, of names made of "
                        + "letters, digits, '.', '_' and '-' (no empty name, no '.' or '..')");
            }
        }
        if (!taken.add(path)) {
            throw SkiffException.invalid(field, "'" + path + "' is listed twice");
        }
        return path;
    }
}
