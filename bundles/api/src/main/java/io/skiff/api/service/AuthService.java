package io.skiff.api.service;

/**
 * Checks credentials against Karaf JAAS (the same accounts as the shell and SSH) and manages bearer tokens.
 */
public interface AuthService {

    /**
     * @return the user, when the password is right
     * @throws SkiffException UNAUTHENTICATED otherwise
     */
    AuthenticatedUser login(String user, String password);

    /** Signs a user in and hands out a bearer token. */
    SessionToken createSession(String user, String password);

    /**
     * @return the user a valid token stands for
     * @throws SkiffException UNAUTHENTICATED when it is unknown, expired or revoked
     */
    AuthenticatedUser verifyToken(String token);

    /** Revokes a token; unknown tokens are ignored. */
    void revokeToken(String token);

    /** @return whether the first admin account exists (the Core is not ready before) */
    boolean adminReady();
}
