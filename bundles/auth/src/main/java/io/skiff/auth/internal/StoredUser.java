package io.skiff.auth.internal;

import io.skiff.api.model.User;

import java.util.List;

/**
 * A user as the state store keeps it: the public record plus its password hash, which never leaves this
 * bundle, and its SSH public keys for the shell ({@code authorized_keys} lines).
 */
public record StoredUser(User user, String passwordHash, List<String> sshKeys) {
    static final String TYPE = "auth.user";

    public StoredUser {
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys); // records journaled before keys existed
    }

    /** A user without SSH keys. */
    public StoredUser(User user, String passwordHash) {
        this(user, passwordHash, List.of());
    }

    StoredUser with(User changed, String hash) {
        return new StoredUser(changed, hash, sshKeys);
    }

    StoredUser withSshKeys(List<String> keys) {
        return new StoredUser(user, passwordHash, keys);
    }
}
