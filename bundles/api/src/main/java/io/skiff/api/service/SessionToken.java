package io.skiff.api.service;

import java.time.Instant;
import java.util.Set;

/**
 * A bearer token handed out by {@code POST /api/v1/sessions}.
 *
 * @param token the opaque token
 * @param user the user it stands for
 * @param expiresAt when it stops being accepted
 * @param roles the user's roles
 * @param permissions the permissions they grant ({@code *} for all)
 * @param passwordChangeRequired whether the user still has a generated password it should change
 */
public record SessionToken(String token, String user, Instant expiresAt, Set<String> roles,
                           Set<String> permissions, boolean passwordChangeRequired) {

    public SessionToken(String token, String user, Instant expiresAt) {
        this(token, user, expiresAt, Set.of(), Set.of(), false);
    }
}
