package io.skiff.console.vnc.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time console tokens: each is bound to one user and one instance, is valid for a short time, and is accepted
 * once. A used token is remembered until it would have expired, so that a second use is refused as "already used"
 * rather than "unknown".
 */
final class ConsoleTokens {

    /** What a redeemed token grants. */
    record Grant(String user, String instanceId) {
    }

    /** Why a token was refused; the message is safe to show to the browser. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(String user, String instanceId, Instant expiresAt, boolean used) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    ConsoleTokens(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** @return a new token for the user and instance, and when it expires */
    Map.Entry<String, Instant> issue(String user, String instanceId) {
        purge();
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(ttl);
        entries.put(token, new Entry(user, instanceId, expiresAt, false));
        return Map.entry(token, expiresAt);
    }

    /**
     * Accepts a token once.
     *
     * @param instanceId the instance the client means to open, or {@code null} to accept the token's own
     * @throws Refused when the token is unknown, expired, already used, or for another instance
     */
    Grant redeem(String token, String instanceId) throws Refused {
        if (token == null || token.isEmpty()) {
            throw new Refused("a console token is required");
        }
        Entry[] seen = new Entry[1];
        // atomically: read and mark used, so two connections racing with one token cannot both win
        entries.computeIfPresent(token, (k, e) -> {
            seen[0] = e;
            return e.used() ? e : new Entry(e.user(), e.instanceId(), e.expiresAt(), true);
        });
        Entry e = seen[0];
        if (e == null) {
            throw new Refused("unknown console token");
        }
        if (e.used()) {
            throw new Refused("console token already used; open the console again");
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            throw new Refused("console token expired; open the console again");
        }
        if (instanceId != null && !instanceId.isEmpty() && !instanceId.equals(e.instanceId())) {
            throw new Refused("console token is for another instance");
        }
        return new Grant(e.user(), e.instanceId());
    }

    /** Forgets tokens past their expiry (used or not). */
    void purge() {
        Instant now = clock.instant();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now.isAfter(it.next().expiresAt().plus(ttl))) {
                it.remove();
            }
        }
    }

    int size() {
        return entries.size();
    }
}
