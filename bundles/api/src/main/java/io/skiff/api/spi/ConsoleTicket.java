package io.skiff.api.spi;

import java.time.Instant;

/**
 * A one-time permission to open the console of one instance, for one user.
 *
 * @param token the opaque, single-use token
 * @param instanceId the instance it opens
 * @param user the user it was issued to
 * @param protocol the console protocol, e.g. {@code vnc}
 * @param path where to open it: the WebSocket path on the same host, with the token as query parameter
 * @param expiresAt when it stops being accepted (unused)
 */
public record ConsoleTicket(String token, String instanceId, String user, String protocol, String path,
                            Instant expiresAt) {
}
