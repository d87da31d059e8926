package io.skiff.core.internal;

import io.skiff.api.service.SkiffException;

import java.util.regex.Pattern;

/** Validation of the names admins give to things: pools, instances, users. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    public static final int MAX_LENGTH = 64;

    private Names() {
    }

    /**
     * @param field the request field, for the error
     * @param value the proposed name
     * @return the name
     * @throws SkiffException INVALID naming the field
     */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw SkiffException.invalid(field, field + " is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw SkiffException.invalid(field, field + " must be at most " + MAX_LENGTH + " characters (got "
                    + value.length() + ")");
        }
        if (!NAME.matcher(value).matches()) {
            throw SkiffException.invalid(field, field + " '" + value
                    + "' may contain only letters, digits, '.', '-' and '_', and must start with a letter or digit");
        }
        return value;
    }

    /** Checks an optional free-text field. */
    public static String optionalText(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw SkiffException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value == null ? "" : value;
    }
}
