package io.skiff.shell.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.Permissions;

import javax.security.auth.Subject;
import java.security.Principal;
import java.util.Set;

/**
 * Who runs a shell command or completion, from the shell session's JAAS subject: a Skiff user (SSH,
 * {@code bin/client}) with its permissions; the local console of {@code bin/karaf} and in-process callers without a
 * subject hold every permission, as Karaf itself treats them.
 */
final class ShellCaller {

    private ShellCaller() {
    }

    /**
     * @param directory Skiff's directory, or {@code null} without skiff-auth
     * @return the caller, or {@code null} for a signed-in user the directory does not know and who is no Karaf admin
     */
    static AuthenticatedUser resolve(IdentityService directory) {
        Subject subject = currentSubject();
        String user = currentUser();
        AuthenticatedUser known = directory == null || user == null ? null : directory.resolve(user);
        if (known != null) {
            return known;
        }
        if (subject == null || hasRole(subject, "admin")) {
            return new AuthenticatedUser(user == null ? "console" : user, Set.of("admin"), null,
                    Set.of(Permissions.ALL));
        }
        return null;
    }

    /** @return the signed-in user of the shell session (from its JAAS subject), {@code console} without one */
    static String currentUser() {
        Subject subject = currentSubject();
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                    return p.getName();
                }
            }
        }
        return "console";
    }

    /** @return where the command came from: {@code console} (no subject: bin/karaf, in-process) or {@code ssh} */
    static String channel() {
        return currentSubject() == null ? "console" : "ssh";
    }

    @SuppressWarnings("removal")
    private static Subject currentSubject() {
        return Subject.getSubject(java.security.AccessController.getContext());
    }

    private static boolean hasRole(Subject subject, String role) {
        for (Principal p : subject.getPrincipals()) {
            if (p.getClass().getSimpleName().equals("RolePrincipal") && p.getName().equals(role)) {
                return true;
            }
        }
        return false;
    }
}
