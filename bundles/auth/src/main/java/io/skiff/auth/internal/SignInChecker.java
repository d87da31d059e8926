package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;

import java.util.Optional;

/** What the JAAS login module asks the auth component: check a password, record a failed sign-in. */
public interface SignInChecker {

    /** @return the user when the password is right and the account enabled */
    Optional<AuthenticatedUser> check(String user, String password);

    /** @return the user when {@code key} is one of its SSH keys and the account enabled */
    Optional<AuthenticatedUser> checkKey(String user, java.security.PublicKey key);

    /** Records a refused sign-in through SSH or {@code bin/client} in the operation log. */
    void refused(String user);
}
