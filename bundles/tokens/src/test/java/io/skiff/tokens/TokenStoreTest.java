package io.skiff.tokens;

import io.skiff.tokens.TokenStore.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenStoreTest {
    private static final Duration TTL = Duration.ofSeconds(60);

    /** The time the stores see; the tests move it by hand. */
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;

    private TokenStore<String> store(TokenPolicy policy) {
        return new TokenStore<>(clock, policy);
    }

    private void later(long seconds) {
        now = now.plusSeconds(seconds);
    }

    @Test
    void tokensAreRandomUrlSafeAndAsLongAsThePolicySays() {
        TokenStore<String> store = store(TokenPolicy.once(TTL));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = store.issue("v").token();
            assertEquals(43, token.length(), token); // 32 bytes, Base64 without padding
            assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
            assertTrue(seen.add(token), "a token is never handed out twice");
        }
        assertEquals(32, store(TokenPolicy.once(TTL).withRandomBytes(24)).issue("v").token().length());
        assertThrows(IllegalArgumentException.class, () -> TokenPolicy.once(TTL).withRandomBytes(15));
    }

    @Test
    void everyUseIsValidUntilItsTtlAndRefusedFromThenOn() {
        for (TokenPolicy.Use use : TokenPolicy.Use.values()) {
            TokenStore<String> store = store(new TokenPolicy(TTL, 32, use));
            Instant issuedAt = now;
            TokenStore.Issued early = store.issue("early");
            TokenStore.Issued late = store.issue("late");
            assertEquals(issuedAt.plus(TTL), early.expiresAt(), use.name());
            later(59);
            assertEquals("early", store.redeem(early.token()).accepted().orElseThrow(), use.name());
            later(1);
            TokenStore.Redemption<String> expired = store.redeem(late.token());
            assertEquals(Outcome.EXPIRED, expired.outcome(), use.name());
            assertTrue(expired.accepted().isEmpty(), use.name());
        }
    }

    @Test
    void untilExpiryTokensServeAgainAndAgainUntilRevoked() {
        TokenStore<String> store = store(TokenPolicy.untilExpiry(TTL));
        String a = store.issue("alice").token();
        String b = store.issue("alice").token();
        String c = store.issue("bob").token();
        for (int i = 0; i < 3; i++) {
            assertEquals("alice", store.redeem(a).accepted().orElseThrow());
        }
        store.revoke(a);
        assertEquals(Outcome.UNKNOWN, store.redeem(a).outcome());
        store.revokeIf("alice"::equals);
        assertEquals(Outcome.UNKNOWN, store.redeem(b).outcome());
        assertEquals("bob", store.redeem(c).accepted().orElseThrow());
        store.revoke(null);
        store.revoke("nope");
    }

    @Test
    void anExpiredUntilExpiryTokenIsForgottenWhenPresented() {
        TokenStore<String> store = store(TokenPolicy.untilExpiry(TTL));
        String token = store.issue("alice").token();
        later(60);
        assertEquals(Outcome.EXPIRED, store.redeem(token).outcome());
        assertEquals(0, store.size());
        assertEquals(Outcome.UNKNOWN, store.redeem(token).outcome());
    }

    @Test
    void aOnceTokenIsForgottenByItsFirstPresentationWhateverItsOutcome() {
        TokenStore<String> store = store(TokenPolicy.once(TTL));
        String token = store.issue("image-1").token();
        assertEquals("image-1", store.redeem(token).accepted().orElseThrow());
        assertEquals(Outcome.UNKNOWN, store.redeem(token).outcome());
        assertEquals(0, store.size());

        String expired = store.issue("image-1").token();
        later(60);
        assertEquals(Outcome.EXPIRED, store.redeem(expired).outcome());
        assertEquals(Outcome.UNKNOWN, store.redeem(expired).outcome());
    }

    @Test
    void aRememberedTokenIsToldApartAsUsedUntilOneMoreTtlAfterItsExpiry() {
        TokenStore<String> store = store(TokenPolicy.onceRemembered(TTL));
        String used = store.issue("i-1").token();
        String expired = store.issue("i-1").token();
        assertEquals("i-1", store.redeem(used).accepted().orElseThrow());
        assertEquals(Outcome.USED, store.redeem(used).outcome());
        later(60);
        // an expired token is spent by being presented, too
        assertEquals(Outcome.EXPIRED, store.redeem(expired).outcome());
        assertEquals(Outcome.USED, store.redeem(expired).outcome());
        later(59);
        store.purge();
        assertEquals(2, store.size());
        assertEquals(Outcome.USED, store.redeem(used).outcome());
        later(1);
        store.purge();
        assertEquals(0, store.size());
        assertEquals(Outcome.UNKNOWN, store.redeem(used).outcome());
    }

    @Test
    void unknownAndNullTokensAreUnknownUnderEveryPolicy() {
        for (TokenPolicy.Use use : TokenPolicy.Use.values()) {
            TokenStore<String> store = store(new TokenPolicy(TTL, 32, use));
            store.issue("v");
            assertEquals(Outcome.UNKNOWN, store.redeem("nope").outcome(), use.name());
            assertEquals(Outcome.UNKNOWN, store.redeem("").outcome(), use.name());
            assertEquals(Outcome.UNKNOWN, store.redeem(null).outcome(), use.name());
            assertTrue(store.redeem(null).accepted().isEmpty(), use.name());
        }
    }

    @Test
    void issuingForgetsWhatExpiredSoTheStoreDoesNotGrow() {
        for (TokenPolicy.Use use : TokenPolicy.Use.values()) {
            TokenStore<String> store = store(new TokenPolicy(TTL, 32, use));
            for (int i = 0; i < 100; i++) {
                store.issue("v" + i);
            }
            assertEquals(100, store.size(), use.name());
            later(use == TokenPolicy.Use.ONCE_REMEMBERED ? 120 : 60);
            store.issue("new");
            assertEquals(1, store.size(), use.name());
        }
    }

    @Test
    void racingPresentationsOfASingleUseTokenAcceptOne() throws Exception {
        for (TokenPolicy.Use use : new TokenPolicy.Use[] {TokenPolicy.Use.ONCE, TokenPolicy.Use.ONCE_REMEMBERED}) {
            TokenStore<String> store = store(new TokenPolicy(TTL, 32, use));
            String token = store.issue("i-1").token();
            AtomicInteger won = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[8];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (store.redeem(token).outcome() == Outcome.ACCEPTED) {
                        won.incrementAndGet();
                    }
                });
                threads[i].start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(1, won.get(), use.name());
        }
    }
}
