package io.skiff.auth.internal;

import io.skiff.api.model.User;

/**
 * A user as the state store keeps it: the public record plus its password hash, which never leaves this
 * bundle.
 */
public record StoredUser(User user, String passwordHash) {
    static final String TYPE = "auth.user";
}
