package io.skiff.console.vnc.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleTokensTest {

    /** The time the tokens see; the tests move it by hand. */
    private Instant now = Instant.parse("2026-11-22T05:00:00Z");
    private final ConsoleTokens tokens = new ConsoleTokens(() -> now, Duration.ofSeconds(15));

    @Test
    void aTokenOpensItsInstanceOnceForItsUser() throws Exception {
        var issued = tokens.issue("alice", "i-1");
        assertEquals(now.plusSeconds(15), issued.expiresAt());
        ConsoleTokens.Grant grant = tokens.redeem(issued.token(), "i-1");
        assertEquals(new ConsoleTokens.Grant("alice", "i-1"), grant);
    }

    @Test
    void aSecondUseIsRefused() throws Exception {
        String token = tokens.issue("alice", "i-1").token();
        tokens.redeem(token, null);
        ConsoleTokens.Refused e = assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(token, null));
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
    }

    @Test
    void aTokenExpiresAfterItsTimeToLive() throws Exception {
        String early = tokens.issue("alice", "i-1").token();
        String late = tokens.issue("alice", "i-1").token();
        now = now.plusSeconds(14);
        tokens.redeem(early, "i-1");
        now = now.plusSeconds(1);
        ConsoleTokens.Refused e = assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(late, "i-1"));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void anExpiredTokenCannotBeUsedLaterEither() {
        String token = tokens.issue("alice", "i-1").token();
        now = now.plusSeconds(16);
        assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(token, "i-1"));
        assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(token, "i-1"));
    }

    @Test
    void unknownEmptyAndForeignTokensAreRefused() throws Exception {
        assertTrue(assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem("nope", null))
                .getMessage().contains("unknown"));
        assertTrue(assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(null, null))
                .getMessage().contains("required"));
        String token = tokens.issue("alice", "i-1").token();
        assertTrue(assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(token, "i-2"))
                .getMessage().contains("another instance"));
        // a token tried against the wrong instance is spent: it cannot be retried
        assertThrows(ConsoleTokens.Refused.class, () -> tokens.redeem(token, "i-1"));
    }

    @Test
    void tokensAreRandomAndForgottenAfterExpiry() {
        String a = tokens.issue("alice", "i-1").token();
        String b = tokens.issue("alice", "i-1").token();
        assertNotEquals(a, b);
        assertTrue(a.length() >= 32, a);
        now = now.plusSeconds(31);
        tokens.purge();
        assertEquals(0, tokens.size());
    }

    @Test
    void racingConnectionsWithOneTokenGetOneConsole() throws Exception {
        String token = tokens.issue("alice", "i-1").token();
        int[] won = new int[1];
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    tokens.redeem(token, "i-1");
                    synchronized (won) {
                        won[0]++;
                    }
                } catch (ConsoleTokens.Refused e) {
                    // expected for all but one
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, won[0]);
    }
}
