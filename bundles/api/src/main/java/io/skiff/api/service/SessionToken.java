package io.skiff.api.service;

import java.time.Instant;

/**
 * A bearer token handed out by {@code POST /api/v1/sessions}.
 *
 * @param token the opaque token
 * @param user the user it stands for
 * @param expiresAt when it stops being accepted
 */
public record SessionToken(String token, String user, Instant expiresAt) {
}
