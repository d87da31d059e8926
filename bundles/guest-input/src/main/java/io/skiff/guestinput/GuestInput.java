package io.skiff.guestinput;

import io.skiff.api.service.SkiffException;
import org.apache.commons.codec.digest.Sha2Crypt;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The rules for what is put into a guest, in one place: a host name, a Linux user name, a password (turned into a
 * SHA-512 crypt(3) hash at once, so the plain text never leaves the Core and is never logged). Each check names the
 * request field it is about in its {@code INVALID} error.
 */
public final class GuestInput {
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** The longest password accepted. */
    public static final int MAX_PASSWORD = 256;

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
}
