package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;
import io.skiff.tokens.TokenPolicy;
import io.skiff.tokens.TokenStore;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Bearer tokens of sign-in sessions: 256 random bits, valid any number of times until they expire or are revoked
 * (sign-out, or all of a user's at once). Kept in memory: a Core restart signs everyone out.
 */
final class SessionTokens {
    private final TokenStore<AuthenticatedUser> tokens;

    SessionTokens(InstantSource clock, Duration ttl) {
        this.tokens = new TokenStore<>(clock, TokenPolicy.untilExpiry(ttl));
    }

    SessionToken issue(AuthenticatedUser user) {
        TokenStore.Issued issued = tokens.issue(user);
        return new SessionToken(issued.token(), user.name(), issued.expiresAt());
    }

    /** @return the user the token was issued to, unless it is unknown, expired or revoked */
    Optional<AuthenticatedUser> verify(String token) {
        return tokens.redeem(token).accepted();
    }

    void revoke(String token) {
        tokens.revoke(token);
    }

    /** Revokes every token of a user (password change, disabled account). */
    void revokeUser(String user) {
        tokens.revokeIf(u -> u.name().equals(user));
    }
}
