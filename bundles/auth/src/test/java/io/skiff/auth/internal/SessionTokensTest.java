package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTokensTest {
    private static final AuthenticatedUser ADMIN = new AuthenticatedUser("admin", Set.of("admin"));

    /** The time the tokens see; the tests move it by hand. */
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private SessionTokens tokens() {
        return new SessionTokens(() -> now, Duration.ofMinutes(10));
    }

    @Test
    void tokenIsValidUntilItExpires() {
        SessionTokens store = tokens();
        SessionToken token = store.issue(ADMIN);
        assertEquals(now.plusSeconds(600), token.expiresAt());
        assertEquals("admin", token.user());

        now = now.plusSeconds(599);
        assertEquals(ADMIN, store.verify(token.token()).orElseThrow());
        assertEquals(ADMIN, store.verify(token.token()).orElseThrow(), "a session token serves more than once");
        now = now.plusSeconds(1);
        assertTrue(store.verify(token.token()).isEmpty());
    }

    @Test
    void revokedTokenIsRefused() {
        SessionTokens store = tokens();
        SessionToken a = store.issue(ADMIN);
        SessionToken b = store.issue(ADMIN);
        SessionToken other = store.issue(new AuthenticatedUser("bob", Set.of("user")));
        assertNotEquals(a.token(), b.token());
        assertEquals(43, a.token().length(), "256 random bits");
        store.revoke(a.token());
        assertTrue(store.verify(a.token()).isEmpty());
        assertTrue(store.verify(b.token()).isPresent());
        store.revokeUser("admin");
        assertTrue(store.verify(b.token()).isEmpty());
        assertTrue(store.verify(other.token()).isPresent(), "another user's session stays");
    }

    @Test
    void unknownTokenIsRefused() {
        SessionTokens store = tokens();
        assertTrue(store.verify("nope").isEmpty());
        assertTrue(store.verify(null).isEmpty());
    }
}
