package io.skiff.auth.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers for a short while which (user, password) pairs were verified, so that HTTP Basic requests do not
 * pay the slow hash every time. Keys are HMACs under a random in-memory key: the cache holds no password.
 * Cleared for a user whenever its password, roles or state change.
 */
final class CredentialCache {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final byte[] key = new byte[32];

    private record Entry(String user, Instant expiresAt) {
    }

    CredentialCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
        new SecureRandom().nextBytes(key);
    }

    boolean known(String user, String password) {
        Entry e = entries.get(fingerprint(user, password));
        return e != null && clock.instant().isBefore(e.expiresAt());
    }

    void remember(String user, String password) {
        if (entries.size() > 10_000) {
            entries.clear();
        }
        entries.put(fingerprint(user, password), new Entry(user, clock.instant().plus(ttl)));
    }

    void forget(String user) {
        entries.values().removeIf(e -> e.user().equals(user));
    }

    private String fingerprint(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
