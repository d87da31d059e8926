package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens: random, expiring, revocable. Kept in memory: a Core restart signs everyone out. */
public class TokenStore {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    private record Entry(AuthenticatedUser user, Instant expiresAt) {
    }

    public TokenStore(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public SessionToken issue(AuthenticatedUser user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = clock.instant().plus(ttl);
        tokens.put(token, new Entry(user, expires));
        purgeExpired();
        return new SessionToken(token, user.name(), expires);
    }

    public Optional<AuthenticatedUser> verify(String token) {
        Entry e = token == null ? null : tokens.get(token);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            tokens.remove(token);
            return Optional.empty();
        }
        return Optional.of(e.user());
    }

    public void revoke(String token) {
        if (token != null) {
            tokens.remove(token);
        }
    }

    /** Revokes every token of a user (password change, disabled account). */
    public void revokeUser(String user) {
        tokens.values().removeIf(e -> e.user().name().equals(user));
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        tokens.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    }
}
