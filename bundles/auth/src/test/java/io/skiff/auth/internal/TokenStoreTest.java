package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenStoreTest {
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tokenIsValidUntilItExpires() {
        ManualClock clock = new ManualClock();
        TokenStore store = new TokenStore(clock, Duration.ofMinutes(10));
        SessionToken token = store.issue(ADMIN);
        assertEquals(clock.now.plusSeconds(600), token.expiresAt());

        clock.now = clock.now.plusSeconds(599);
        assertEquals(ADMIN, store.verify(token.token()).orElseThrow());
        clock.now = clock.now.plusSeconds(1);
        assertTrue(store.verify(token.token()).isEmpty());
    }

    @Test
    void revokedTokenIsRefused() {
        TokenStore store = new TokenStore(new ManualClock(), Duration.ofMinutes(10));
        SessionToken a = store.issue(ADMIN);
        SessionToken b = store.issue(ADMIN);
        assertNotEquals(a.token(), b.token());
        store.revoke(a.token());
        assertTrue(store.verify(a.token()).isEmpty());
        assertTrue(store.verify(b.token()).isPresent());
        store.revokeUser("admin");
        assertTrue(store.verify(b.token()).isEmpty());
    }

    @Test
    void unknownTokenIsRefused() {
        TokenStore store = new TokenStore(new ManualClock(), Duration.ofMinutes(10));
        assertTrue(store.verify("nope").isEmpty());
        assertTrue(store.verify(null).isEmpty());
    }
}
