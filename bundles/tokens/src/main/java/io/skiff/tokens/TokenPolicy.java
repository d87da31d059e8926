package io.skiff.tokens;

import java.time.Duration;
import java.util.Objects;

/**
 * What differs between the uses of a {@link TokenStore}: how long a token is valid, how many random bytes it carries,
 * and what presenting it does ({@link Use}). Everything else (where the randomness comes from, how expiry is counted,
 * when expired tokens are forgotten) is the same for every use.
 *
 * @param ttl how long a token is valid after it was issued; at {@code issued + ttl} it is refused
 * @param randomBytes how many bytes of {@link java.security.SecureRandom} output a token carries (at least
 *                    {@value #MIN_RANDOM_BYTES}); the token is their URL-safe Base64 without padding
 * @param use what presenting a token does to it
 */
public record TokenPolicy(Duration ttl, int randomBytes, Use use) {
    /** The fewest random bytes a token may carry: 128 bits. */
    public static final int MIN_RANDOM_BYTES = 16;
    /** The random bytes of a token unless a policy says otherwise: 256 bits. */
    public static final int DEFAULT_RANDOM_BYTES = 32;

    /** What presenting a token does to it. */
    public enum Use {
        /** Valid any number of times until it expires or is revoked: a bearer session. */
        UNTIL_EXPIRY,
        /** Spent by its first presentation and forgotten at once: a second one finds an unknown token. */
        ONCE,
        /**
         * Spent by its first presentation but remembered until one more time to live has passed after its expiry,
         * so that a second presentation is told apart ({@link TokenStore.Outcome#USED}) from a token never issued.
         */
        ONCE_REMEMBERED
    }

    public TokenPolicy {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(use, "use");
        if (randomBytes < MIN_RANDOM_BYTES) {
            throw new IllegalArgumentException("a token needs at least " + MIN_RANDOM_BYTES + " random bytes, not "
                    + randomBytes);
        }
    }

    /** @return tokens valid any number of times for {@code ttl}, until revoked */
    public static TokenPolicy untilExpiry(Duration ttl) {
        return new TokenPolicy(ttl, DEFAULT_RANDOM_BYTES, Use.UNTIL_EXPIRY);
    }

    /** @return tokens valid once within {@code ttl}, forgotten when used */
    public static TokenPolicy once(Duration ttl) {
        return new TokenPolicy(ttl, DEFAULT_RANDOM_BYTES, Use.ONCE);
    }

    /** @return tokens valid once within {@code ttl}, remembered as used until {@code ttl} after their expiry */
    public static TokenPolicy onceRemembered(Duration ttl) {
        return new TokenPolicy(ttl, DEFAULT_RANDOM_BYTES, Use.ONCE_REMEMBERED);
    }

    /** @return this policy with tokens of {@code bytes} random bytes */
    public TokenPolicy withRandomBytes(int bytes) {
        return new TokenPolicy(ttl, bytes, use);
    }

    /** @return how long a token stays in the store after its expiry: one more ttl if it is remembered, else none */
    Duration keptAfterExpiry() {
        return use == Use.ONCE_REMEMBERED ? ttl : Duration.ZERO;
    }
}
