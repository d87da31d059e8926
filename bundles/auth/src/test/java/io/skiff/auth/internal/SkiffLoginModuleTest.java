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
}
