package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JAAS login module of Skiff's {@code karaf} realm: checks the password (or, for SSH public-key
 * authentication, the offered key) against Skiff's users and gives
 * the subject a {@link UserPrincipal} and {@link RolePrincipal}s: the user's Skiff roles plus the Karaf roles
 * the shell needs ({@code ssh} for everyone; {@code admin}, {@code manager}, {@code viewer},
 * {@code systembundles} for holders of every permission).
 */
public class SkiffLoginModule implements LoginModule {
    static final String CHECKER_OPTION = "skiff.signInChecker";

    private Subject subject;
    private CallbackHandler handler;
    private SignInChecker checker;
    private AuthenticatedUser user;
    private final List<Principal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.checker = (SignInChecker) options.get(CHECKER_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        if (checker == null) {
            throw new LoginException("Skiff's user directory is not available");
        }
        NameCallback name = new NameCallback("user: ");
        PasswordCallback password = new PasswordCallback("password: ", false);
        try {
            handler.handle(new Callback[]{name, password});
        } catch (UnsupportedCallbackException noPassword) {
            return loginWithKey(); // SSH public-key authentication offers a key instead
        } catch (Exception e) {
            throw new LoginException("cannot read the credentials: " + e.getMessage());
        }
        String n = name.getName();
        char[] p = password.getPassword();
        password.clearPassword();
        Optional<AuthenticatedUser> found = n == null || p == null ? Optional.empty()
                : checker.check(n, new String(p));
        if (found.isEmpty()) {
            checker.refused(n);
            throw new FailedLoginException("wrong user name or password");
        }
        user = found.get();
        return true;
    }

    private boolean loginWithKey() throws LoginException {
        NameCallback name = new NameCallback("user: ");
        PublickeyCallback key = new PublickeyCallback();
        try {
            handler.handle(new Callback[]{name, key});
        } catch (Exception e) {
            throw new LoginException("cannot read the credentials: " + e.getMessage());
        }
        Optional<AuthenticatedUser> found = checker.checkKey(name.getName(), key.getPublicKey());
        if (found.isEmpty()) {
            // not logged as refused: an SSH client offers each of its keys in turn before it tries a password
            throw new FailedLoginException("no SSH key of user " + name.getName() + " matches");
        }
        user = found.get();
        return true;
    }

    /** @return the role principal names for a Skiff user */
    static Set<String> karafRoles(AuthenticatedUser user) {
        Set<String> roles = new LinkedHashSet<>(user.roles());
        roles.add("ssh");
        if (user.permissions().contains(Permissions.ALL)) {
            roles.addAll(List.of("admin", "manager", "viewer", "systembundles"));
        }
        return roles;
    }

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        added.add(new UserPrincipal(user.name()));
        for (String r : karafRoles(user)) {
            added.add(new RolePrincipal(r));
        }
        subject.getPrincipals().addAll(added);
        return true;
    }

    @Override
    public boolean abort() {
        user = null;
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(added);
        added.clear();
        user = null;
        return true;
    }
}
