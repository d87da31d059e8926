package io.skiff.auth.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SessionToken;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks passwords through Karaf JAAS, so REST, portal, {@code bin/client} and SSH share the same accounts,
 * and hands out bearer tokens. Creates the first admin account at first start.
 */
@Component(service = AuthService.class, immediate = true, configurationPid = "io.skiff.auth")
@Designate(ocd = AuthConfig.class)
public class AuthServiceImpl implements AuthService {
    private static final Logger LOG = LoggerFactory.getLogger(AuthServiceImpl.class);
    static final String ENV_PASSWORD = "SKIFF_ADMIN_PASSWORD";

    private final String realm;
    private final TokenStore tokens;
    private volatile boolean adminReady;

    @Activate
    public AuthServiceImpl(AuthConfig config) {
        this.realm = config.realm();
        this.tokens = new TokenStore(Clock.systemUTC(), Duration.ofMinutes(config.tokenTtlMinutes()));
        String etc = System.getProperty("karaf.etc", "etc");
        String data = System.getProperty("karaf.data", "data");
        Path users = config.usersFile().isBlank() ? Path.of(etc, "users.properties") : Path.of(config.usersFile());
        Path passwordFile = Path.of(data, "skiff", "initial-admin-password");
        bootstrapAdmin(new InitialAdmin(users, passwordFile), passwordFile);
    }

    private void bootstrapAdmin(InitialAdmin admin, Path passwordFile) {
        try {
            String requested = System.getenv(ENV_PASSWORD);
            if (requested == null) {
                requested = System.getProperty("skiff.admin.password");
            }
            String password;
            try {
                password = admin.ensure(requested);
            } catch (IllegalArgumentException e) {
                LOG.error("{}; generating a password instead", e.getMessage());
                password = admin.ensure(null);
            }
            if (password != null) {
                LOG.info("admin account created; its password is {}", password.equals(requested)
                        ? "the one given in " + ENV_PASSWORD : "in " + passwordFile);
                hashSoon(password);
            }
            adminReady = true;
        } catch (Exception e) {
            LOG.error("could not create the admin account: {}", e.toString());
        }
    }

    /**
     * Signs the new admin in once, so that Karaf's properties login module replaces the clear password in the
     * users file by its hash. The JAAS realm may still be starting, so this retries for a minute.
     */
    private void hashSoon(String password) {
        Thread thread = new Thread(() -> {
            for (int attempt = 0; attempt < 60; attempt++) {
                try {
                    login(InitialAdmin.USER, password);
                    LOG.info("admin password stored as a hash");
                    return;
                } catch (RuntimeException e) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
            LOG.warn("admin password is still in clear in the users file; it is hashed at the first sign-in");
        }, "skiff-admin-hash");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public AuthenticatedUser login(String user, String password) {
        if (user == null || user.isEmpty()) {
            throw SkiffException.invalid("user", "user is required");
        }
        if (password == null) {
            throw SkiffException.invalid("password", "password is required");
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        try {
            Subject subject = new Subject();
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pw) {
                        pw.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            context.login();
            Set<String> roles = subject.getPrincipals(RolePrincipal.class).stream()
                    .map(RolePrincipal::getName).collect(Collectors.toSet());
            return new AuthenticatedUser(user, roles);
        } catch (LoginException e) {
            LOG.info("sign-in of user {} refused", user);
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "wrong user name or password", null);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public SessionToken createSession(String user, String password) {
        SessionToken token = tokens.issue(login(user, password));
        LOG.info("session opened for user {}", user);
        return token;
    }

    @Override
    public AuthenticatedUser verifyToken(String token) {
        return tokens.verify(token).orElseThrow(() -> new SkiffException(SkiffException.Kind.UNAUTHENTICATED,
                "unauthenticated", "the token is unknown, expired or revoked", null));
    }

    @Override
    public void revokeToken(String token) {
        tokens.revoke(token);
    }

    @Override
    public boolean adminReady() {
        return adminReady;
    }
}
