package io.skiff.auth.internal;

import io.skiff.api.service.SkiffException;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** SSH public keys as OpenSSH {@code authorized_keys} lines, read with Apache MINA SSHD (the SSH server Karaf runs). */
final class SshKeys {
    /**
     * The key types Karaf's SSH server can verify. Not {@code ssh-ed25519}: its SSHD finds no signature verifier for
     * it ("No verifier located for algorithm=ssh-ed25519"), so such a key could never sign in.
     */
    static final Set<String> TYPES = Set.of("ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521");
    private static final int MIN_RSA_BITS = 2048;

    private SshKeys() {
    }

    /**
     * @return the keys as {@code type base64 [comment]}, trimmed, without duplicates
     * @throws SkiffException {@code INVALID} naming the bad key ({@code sshKeys.<i>}) or {@code sshKeys} for too many
     */
    static List<String> check(List<String> lines, int max) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i) == null ? "" : lines.get(i).strip();
            String field = "sshKeys." + i;
            PublicKey key = parse(line, field);
            int bits = KeyUtils.getKeySize(key);
            if ("ssh-rsa".equals(KeyUtils.getKeyType(key)) && bits < MIN_RSA_BITS) {
                throw SkiffException.invalid(field, "an RSA key needs at least " + MIN_RSA_BITS + " bits, this one has "
                        + bits);
            }
            out.add(line.replaceAll("\\s+", " "));
        }
        if (out.size() > max) {
            throw SkiffException.invalid("sshKeys", "at most " + max + " SSH keys per user, not " + out.size());
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** @return whether the stored line is {@code key} */
    static boolean matches(String line, PublicKey key) {
        try {
            return KeyUtils.compareKeys(parse(line, "sshKeys"), key);
        } catch (SkiffException e) {
            return false; // a stored line that no longer parses never matches
        }
    }

    private static PublicKey parse(String line, String field) {
        if (line.isEmpty() || line.startsWith("#")) {
            throw SkiffException.invalid(field, "an SSH public key is required (a line of authorized_keys)");
        }
        String type = line.split("\\s+")[0];
        if ("ssh-ed25519".equals(type)) {
            throw SkiffException.invalid(field, "ssh-ed25519 keys cannot sign in: the shell's SSH server (Apache"
                    + " MINA SSHD in Karaf) cannot verify their signatures; use an ECDSA key (ssh-keygen -t ecdsa) or"
                    + " an RSA key of at least 2048 bits");
        }
        if (!TYPES.contains(type)) {
            throw SkiffException.invalid(field, "'" + abbreviate(type) + "' is not a supported key type; use one of "
                    + new java.util.TreeSet<>(TYPES));
        }
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
            if (entry == null) {
                throw SkiffException.invalid(field, "an SSH public key is required (a line of authorized_keys)");
            }
            PublicKey key = entry.resolvePublicKey(null, entry.getLoginOptions(), PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw SkiffException.invalid(field, "not a public key this server can read");
            }
            return key;
        } catch (SkiffException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw SkiffException.invalid(field, "not a valid " + type + " public key: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
