package io.skiff.auth.internal;

import io.skiff.api.service.SkiffException;

/**
 * What a new password must satisfy: a minimum length, optionally letters and digits, never the user name.
 *
 * @param minLength minimum number of characters
 * @param requireLetterAndDigit whether it must contain at least one letter and one digit
 */
public record PasswordPolicy(int minLength, boolean requireLetterAndDigit) {

    public void check(String user, String password) {
        check(user, password, "password");
    }

    public void check(String user, String password, String field) {
        if (password == null || password.isEmpty()) {
            throw SkiffException.invalid(field, "a password is required");
        }
        if (password.length() < minLength) {
            throw SkiffException.invalid(field, "the password must have at least " + minLength + " characters");
        }
        if (password.length() > 256) {
            throw SkiffException.invalid(field, "the password must have at most 256 characters");
        }
        if (password.equalsIgnoreCase(user)) {
            throw SkiffException.invalid(field, "the password must not be the user name");
        }
        if (requireLetterAndDigit && (password.chars().noneMatch(Character::isLetter)
                || password.chars().noneMatch(Character::isDigit))) {
            throw SkiffException.invalid(field, "the password must contain a letter and a digit");
        }
    }
}
