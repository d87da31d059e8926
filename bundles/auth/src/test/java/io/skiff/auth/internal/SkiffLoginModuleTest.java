package io.skiff.auth.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.Test;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JAAS login module gives SSH and bin/client the Skiff accounts and the Karaf roles they need. */
class SkiffLoginModuleTest {
    private final List<String> refused = new ArrayList<>();
    private final java.security.PublicKey aliceKey = keyPair().getPublic();

    private static java.security.KeyPair keyPair() {
        try {
            return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs in the way Karaf's SSH server does for public-key authentication: a name and a key, no password. */
    private Subject loginWithKey(String user, java.security.PublicKey key) throws Exception {
        Subject subject = new Subject();
        SkiffLoginModule module = new SkiffLoginModule();
        module.initialize(subject, callbacks -> {
            for (javax.security.auth.callback.Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof org.apache.karaf.jaas.modules.publickey.PublickeyCallback p) {
                    p.setPublicKey(key);
                } else {
                    throw new javax.security.auth.callback.UnsupportedCallbackException(c);
                }
            }
        }, Map.of(), Map.of(SkiffLoginModule.CHECKER_OPTION, checker));
        module.login();
        module.commit();
        return subject;
    }
    private final SignInChecker checker = new SignInChecker() {
        @Override
        public Optional<AuthenticatedUser> check(String user, String password) {
            if (user.equals("admin") && password.equals("admin-pw")) {
                return Optional.of(new AuthenticatedUser("admin", Set.of("admin"), "admin", Set.of(Permissions.ALL)));
            }
            if (user.equals("alice") && password.equals("alice-pw")) {
                return Optional.of(new AuthenticatedUser("alice", Set.of("user"), "red", Permissions.USER));
            }
            return Optional.empty();
        }

        @Override
        public Optional<AuthenticatedUser> checkKey(String user, java.security.PublicKey key) {
            return user.equals("alice") && key == aliceKey
                    ? Optional.of(new AuthenticatedUser("alice", Set.of("user"), "red", Permissions.USER))
                    : Optional.empty();
        }

        @Override
        public void refused(String user) {
            refused.add(user);
        }
    };

    private Subject login(String user, String password) throws Exception {
        Subject subject = new Subject();
        SkiffLoginModule module = new SkiffLoginModule();
        module.initialize(subject, callbacks -> {
            ((NameCallback) callbacks[0]).setName(user);
            ((PasswordCallback) callbacks[1]).setPassword(password.toCharArray());
        }, Map.of(), Map.of(SkiffLoginModule.CHECKER_OPTION, checker));
        module.login();
        module.commit();
        return subject;
    }

    private static Set<String> roles(Subject s) {
        return s.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName).collect(Collectors.toSet());
    }

    @Test
    void adminsGetKarafsAdminRolesUsersOnlySsh() throws Exception {
        Subject admin = login("admin", "admin-pw");
        assertEquals("admin", admin.getPrincipals(UserPrincipal.class).iterator().next().getName());
        assertTrue(roles(admin).containsAll(Set.of("admin", "ssh", "manager", "viewer", "systembundles")));
        assertEquals(Set.of("user", "ssh"), roles(login("alice", "alice-pw")));
    }

    @Test
    void wrongPasswordsFailAndAreRecorded() {
        assertThrows(FailedLoginException.class, () -> login("alice", "guess"));
        assertEquals(List.of("alice"), refused);
    }

    @Test
    void sshPublicKeysSignInWithoutPassword() throws Exception {
        Subject alice = loginWithKey("alice", aliceKey);
        assertEquals("alice", alice.getPrincipals(UserPrincipal.class).iterator().next().getName());
        assertEquals(Set.of("user", "ssh"), roles(alice));
        assertThrows(FailedLoginException.class, () -> loginWithKey("alice", keyPair().getPublic()));
        assertThrows(FailedLoginException.class, () -> loginWithKey("admin", aliceKey));
        assertEquals(List.of(), refused, "each offered key is tried in turn; only password failures are recorded");
    }
}
