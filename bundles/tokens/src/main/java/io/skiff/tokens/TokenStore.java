package io.skiff.tokens;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Random, expiring tokens, each bound to a value (who or what it grants), kept in memory only: a restart forgets
 * them all. What differs between uses is the {@link TokenPolicy}; for every use:
 * <ul>
 *   <li>a token is {@link TokenPolicy#randomBytes()} bytes from {@link SecureRandom}, in URL-safe Base64 without
 *       padding, and is never handed out twice by one store;</li>
 *   <li>it is valid from its issue until {@link TokenPolicy#ttl()} later, and refused from that instant on;</li>
 *   <li>presenting it ({@link #redeem}) does what the policy's {@link TokenPolicy.Use} says; spending a single-use
 *       token is atomic, so of several presentations racing with one token exactly one is accepted;</li>
 *   <li>tokens past their expiry (and, for {@link TokenPolicy.Use#ONCE_REMEMBERED}, past one more ttl) are
 *       forgotten at every issue and by {@link #purge()}: the store never holds more than the tokens issued in the
 *       last ttl (two ttl when remembered), whatever was presented or not.</li>
 * </ul>
 * Thread-safe.
 *
 * @param <V> what a token is bound to
 */
public final class TokenStore<V> {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final TokenPolicy policy;

    private record Entry<V>(V value, Instant expiresAt, boolean used) {
        Entry<V> spent() {
            return used ? this : new Entry<>(value, expiresAt, true);
        }
    }

    /** A new token and the instant from which it is refused. */
    public record Issued(String token, Instant expiresAt) {
    }

    /** What became of a presented token. */
    public enum Outcome {
        /** valid: the value it is bound to comes with it */
        ACCEPTED,
        /** never issued, revoked, forgotten after its expiry, or (policy {@code ONCE}) already used */
        UNKNOWN,
        /** used before (policy {@code ONCE_REMEMBERED} only) */
        USED,
        /** presented at or after its expiry */
        EXPIRED
    }

    /**
     * The answer to a presented token.
     *
     * @param value what the token is bound to when it was {@link Outcome#ACCEPTED}, else {@code null}
     */
    public record Redemption<V>(Outcome outcome, V value) {
        /** @return the value the token is bound to, if it was accepted */
        public Optional<V> accepted() {
            return outcome == Outcome.ACCEPTED ? Optional.of(value) : Optional.empty();
        }
    }

    /** @param clock the time expiry is counted in (a {@link java.time.Clock} in production) */
    public TokenStore(InstantSource clock, TokenPolicy policy) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public TokenPolicy policy() {
        return policy;
    }

    /** @return a new token bound to {@code value}, and when it expires */
    public Issued issue(V value) {
        Objects.requireNonNull(value, "value");
        Instant now = clock.instant();
        purge(now);
        Entry<V> entry = new Entry<>(value, now.plus(policy.ttl()), false);
        String token;
        do {
            token = newToken();
        } while (entries.putIfAbsent(token, entry) != null);
        return new Issued(token, entry.expiresAt());
    }

    /**
     * Presents a token: accepted when it is known, unused and not expired. A single-use token is spent by this call
     * whatever the outcome, so a caller that refuses the value it gets (another instance, another image) cannot let
     * the same token be tried again. An expired token is forgotten at once unless its policy remembers it.
     *
     * @param token as presented, may be {@code null} (unknown)
     */
    public Redemption<V> redeem(String token) {
        if (token == null) {
            return new Redemption<>(Outcome.UNKNOWN, null);
        }
        Entry<V> entry = switch (policy.use()) {
            case UNTIL_EXPIRY -> entries.get(token);
            case ONCE -> entries.remove(token);
            case ONCE_REMEMBERED -> spend(token);
        };
        if (entry == null) {
            return new Redemption<>(Outcome.UNKNOWN, null);
        }
        if (entry.used()) {
            return new Redemption<>(Outcome.USED, null);
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            if (policy.use() == TokenPolicy.Use.UNTIL_EXPIRY) {
                entries.remove(token, entry);
            }
            return new Redemption<>(Outcome.EXPIRED, null);
        }
        return new Redemption<>(Outcome.ACCEPTED, entry.value());
    }

    /** Marks a remembered token used, atomically; @return the entry as it was before, or null when unknown */
    private Entry<V> spend(String token) {
        AtomicReference<Entry<V>> before = new AtomicReference<>();
        entries.computeIfPresent(token, (k, e) -> {
            before.set(e);
            return e.spent();
        });
        return before.get();
    }

    /** Forgets a token (sign-out); unknown and {@code null} tokens are ignored. */
    public void revoke(String token) {
        if (token != null) {
            entries.remove(token);
        }
    }

    /** Forgets every token whose value matches (all sessions of a user). */
    public void revokeIf(Predicate<? super V> bound) {
        entries.values().removeIf(e -> bound.test(e.value()));
    }

    /** Forgets the tokens the policy no longer needs: past their expiry, or past one more ttl when remembered. */
    public void purge() {
        purge(clock.instant());
    }

    private void purge(Instant now) {
        entries.values().removeIf(e -> !now.isBefore(e.expiresAt().plus(policy.keptAfterExpiry())));
    }

    /** @return how many tokens the store holds (valid, used and remembered, or expired and not yet purged) */
    public int size() {
        return entries.size();
    }

    private String newToken() {
        byte[] bytes = new byte[policy.randomBytes()];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
