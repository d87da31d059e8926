package io.skiff.console.vnc.internal;

import io.skiff.tokens.TokenPolicy;
import io.skiff.tokens.TokenStore;

import java.time.Duration;
import java.time.InstantSource;

/**
 * One-time console tokens: each is bound to one user and one instance, is valid for a short time, and is accepted
 * once. A used token is remembered until one more time to live has passed after its expiry, so that a second use is
 * refused as "already used" rather than "unknown".
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

    private final TokenStore<Grant> tokens;

    ConsoleTokens(InstantSource clock, Duration ttl) {
        this.tokens = new TokenStore<>(clock, TokenPolicy.onceRemembered(ttl).withRandomBytes(24));
    }

    Duration ttl() {
        return tokens.policy().ttl();
    }

    /** @return a new token for the user and instance, and when it expires */
    TokenStore.Issued issue(String user, String instanceId) {
        return tokens.issue(new Grant(user, instanceId));
    }

    /**
     * Accepts a token once; it is spent by this call whatever the outcome, so two connections racing with one token
     * cannot both win, and a token tried against another instance cannot be retried.
     *
     * @param instanceId the instance the client means to open, or {@code null} to accept the token's own
     * @throws Refused when the token is unknown, expired, already used, or for another instance
     */
    Grant redeem(String token, String instanceId) throws Refused {
        if (token == null || token.isEmpty()) {
            throw new Refused("a console token is required");
        }
        TokenStore.Redemption<Grant> redemption = tokens.redeem(token);
        Grant grant = switch (redemption.outcome()) {
            case ACCEPTED -> redemption.value();
            case UNKNOWN -> throw new Refused("unknown console token");
            case USED -> throw new Refused("console token already used; open the console again");
            case EXPIRED -> throw new Refused("console token expired; open the console again");
        };
        if (instanceId != null && !instanceId.isEmpty() && !instanceId.equals(grant.instanceId())) {
            throw new Refused("console token is for another instance");
        }
        return grant;
    }

    /** Forgets tokens no longer remembered (used or not). */
    void purge() {
        tokens.purge();
    }

    int size() {
        return tokens.size();
    }
}
