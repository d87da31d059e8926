package io.skiff.auth.internal;

import io.skiff.api.model.Group;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Quota;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.Role;
import io.skiff.api.model.User;
import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.SessionToken;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateStore;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

/**
 * Skiff's accounts: users, groups and roles in the Core's state store ({@link Directory}), password sign-in,
 * bearer tokens, and the JAAS realm {@code karaf} that makes SSH and {@code bin/client} use the same accounts.
 * Creates the first admin at first start.
 */
@Component(service = {AuthService.class, IdentityService.class}, immediate = true, configurationPid = "io.skiff.auth")
@Designate(ocd = AuthConfig.class)
public class AuthServiceImpl implements AuthService, IdentityService, SignInChecker {
    private static final Logger LOG = LoggerFactory.getLogger(AuthServiceImpl.class);
    static final String ENV_PASSWORD = "SKIFF_ADMIN_PASSWORD";

    private final SessionTokens tokens;
    private final CredentialCache basicCache;
    private final Directory directory;
    private final boolean cacheBasic;
    private final ServiceRegistration<JaasRealm> realm;
    private volatile boolean adminReady;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OperationLog log;

    @Activate
    public AuthServiceImpl(AuthConfig config, @Reference StateStore store, BundleContext context) {
        Clock clock = Clock.systemUTC();
        this.tokens = new SessionTokens(clock, Duration.ofMinutes(config.tokenTtlMinutes()));
        this.basicCache = new CredentialCache(clock, Duration.ofSeconds(Math.max(0, config.basicCacheSeconds())));
        this.cacheBasic = config.basicCacheSeconds() > 0;
        this.directory = new Directory(store, new PasswordHasher(config.passwordIterations()),
                new PasswordPolicy(config.passwordMinLength(), config.passwordRequireLetterAndDigit()), clock,
                this::endSessions);
        String data = System.getProperty("karaf.data", "data");
        bootstrapAdmin(new InitialAdmin(directory, Path.of(data, "skiff", "initial-admin-password")));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, SkiffJaasRealm.RANK);
        props.put("org.apache.karaf.jaas.realm.name", config.realm());
        this.realm = context == null ? null : context.registerService(JaasRealm.class,
                new SkiffJaasRealm(config.realm(), context, this), props);
    }

    @Deactivate
    void deactivate() {
        if (realm != null) {
            try {
                realm.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
    }

    private void bootstrapAdmin(InitialAdmin admin) {
        try {
            String requested = System.getenv(ENV_PASSWORD);
            if (requested == null) {
                requested = System.getProperty("skiff.admin.password");
            }
            admin.ensure(requested);
            adminReady = true;
        } catch (Exception e) {
            LOG.error("could not create the admin account: {}", e.toString());
        }
    }

    private void endSessions(String user) {
        tokens.revokeUser(user);
        basicCache.forget(user);
    }

    // ---- sign-in -------------------------------------------------------------------------------------------

    @Override
    public AuthenticatedUser login(String user, String password) {
        if (user == null || user.isEmpty()) {
            throw SkiffException.invalid("user", "user is required");
        }
        if (password == null) {
            throw SkiffException.invalid("password", "password is required");
        }
        if (cacheBasic && basicCache.known(user, password)) {
            AuthenticatedUser known = directory.resolve(user);
            if (known != null) {
                return known;
            }
        }
        Optional<AuthenticatedUser> found = directory.authenticate(user, password);
        if (found.isEmpty()) {
            LOG.info("sign-in of user {} refused", user);
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "wrong user name or password", null);
        }
        if (cacheBasic) {
            basicCache.remember(user, password);
        }
        return found.get();
    }

    @Override
    public Optional<AuthenticatedUser> check(String user, String password) {
        return directory.authenticate(user, password);
    }

    @Override
    public Optional<AuthenticatedUser> checkKey(String user, java.security.PublicKey key) {
        Optional<AuthenticatedUser> found = directory.authenticate(user, key);
        found.ifPresent(u -> LOG.info("shell sign-in of user {} with an SSH key", u.name()));
        return found;
    }

    @Override
    public void refused(String user) {
        LOG.info("shell sign-in of user {} refused", user);
        OperationLog l = log;
        if (l != null) {
            try {
                l.record(new OperationRecord(java.time.Instant.now(), user, "ssh", "ssh", "sign-in", null,
                        OperationRecord.DENIED, 401, null, "wrong user name or password"));
            } catch (RuntimeException e) {
                LOG.warn("could not record a refused sign-in: {}", e.toString());
            }
        }
    }

    @Override
    public SessionToken createSession(String user, String password) {
        AuthenticatedUser u = login(user, password);
        SessionToken t = tokens.issue(u);
        LOG.info("session opened for user {}", user);
        return new SessionToken(t.token(), t.user(), t.expiresAt(), u.roles(), u.permissions(),
                directory.passwordChangeRequired(u.name()));
    }

    @Override
    public AuthenticatedUser verifyToken(String token) {
        AuthenticatedUser holder = tokens.verify(token).orElse(null);
        // roles, group and the enabled flag are read again on every request: a change counts at once
        AuthenticatedUser now = holder == null ? null : directory.resolve(holder.name());
        if (now == null) {
            tokens.revoke(token);
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "the token is unknown, expired or revoked", null);
        }
        return now;
    }

    @Override
    public void revokeToken(String token) {
        tokens.revoke(token);
    }

    @Override
    public boolean adminReady() {
        return adminReady;
    }

    // ---- identities (delegated to the directory) -----------------------------------------------------------

    @Override
    public List<User> users() {
        return directory.users();
    }

    @Override
    public User user(String name) {
        return directory.user(name);
    }

    @Override
    public User createUser(String name, String displayName, String group, List<String> roles, String password,
                           Quota quota) {
        return directory.createUser(name, displayName, group, roles, password, quota);
    }

    @Override
    public User updateUser(String name, String displayName, String group, List<String> roles, Boolean enabled,
                           Quota quota, String actor) {
        return directory.updateUser(name, displayName, group, roles, enabled, quota, actor);
    }

    @Override
    public void deleteUser(String name, String actor) {
        directory.deleteUser(name, actor);
    }

    @Override
    public List<String> sshKeys(String name) {
        return directory.sshKeys(name);
    }

    @Override
    public List<String> setSshKeys(String name, List<String> keys, String actor) {
        return directory.setSshKeys(name, keys, actor);
    }

    @Override
    public void changePassword(String name, String currentPassword, String newPassword, String actor) {
        directory.changePassword(name, currentPassword, newPassword, actor);
        if (InitialAdmin.USER.equals(name)) {
            InitialAdmin.forgetPasswordFile(Path.of(System.getProperty("karaf.data", "data"), "skiff",
                    "initial-admin-password"));
        }
    }

    @Override
    public List<Group> groups() {
        return directory.groups();
    }

    @Override
    public Group group(String name) {
        return directory.group(name);
    }

    @Override
    public Group createGroup(Group group) {
        return directory.createGroup(group);
    }

    @Override
    public Group updateGroup(Group group) {
        return directory.updateGroup(group);
    }

    @Override
    public void deleteGroup(String name) {
        directory.deleteGroup(name);
    }

    @Override
    public List<Role> roles() {
        return directory.roles();
    }

    @Override
    public Role role(String name) {
        return directory.role(name);
    }

    @Override
    public Role createRole(Role role) {
        return directory.createRole(role);
    }

    @Override
    public Role updateRole(Role role) {
        return directory.updateRole(role);
    }

    @Override
    public void deleteRole(String name) {
        directory.deleteRole(name);
    }

    @Override
    public AuthenticatedUser resolve(String name) {
        return directory.resolve(name);
    }

    @Override
    public String groupOf(String user) {
        return directory.groupOf(user);
    }

    @Override
    public boolean canSee(AuthenticatedUser caller, String owner, String group) {
        return directory.canSee(caller, owner, group);
    }

    @Override
    public boolean seesAll(AuthenticatedUser caller) {
        return directory.seesAll(caller);
    }

    @Override
    public void checkQuota(String user, String group, ResourceUsage userUsage, ResourceUsage groupUsage,
                           ResourceUsage requested) {
        directory.checkQuota(user, group, userUsage, groupUsage, requested);
    }
}
