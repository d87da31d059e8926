package io.skiff.core.internal.image;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tokens that let a cell download one image over HTTP without a user's credentials. A token is
 * bound to an image, used once, and expires.
 */
public class ImageTransferTokens {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    private record Grant(String imageId, Instant expiresAt) {
    }

    public ImageTransferTokens(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public String issue(String imageId) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        grants.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        grants.put(token, new Grant(imageId, now.plus(ttl)));
        return token;
    }

    /** @return whether the token was valid for this image; it is spent either way */
    public boolean redeem(String imageId, String token) {
        Grant grant = token == null ? null : grants.remove(token);
        return grant != null && grant.imageId().equals(imageId) && clock.instant().isBefore(grant.expiresAt());
    }
}
