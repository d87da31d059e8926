package io.skiff.shell.internal;

import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Action;

/**
 * Base of the Skiff commands: a {@link SkiffException} becomes one clear error line, the way Karaf prints
 * command errors, instead of a stack trace.
 */
abstract class SkiffAction implements Action {

    @Override
    public final Object execute() throws Exception {
        try {
            return run();
        } catch (SkiffException e) {
            throw new IllegalArgumentException(e.getMessage() + (e.field() == null ? "" : " [" + e.field() + "]"));
        }
    }

    protected abstract Object run() throws Exception;

    /** @return the signed-in user of the shell session (from its JAAS subject) */
    @SuppressWarnings("removal")
    static String currentUser() {
        javax.security.auth.Subject subject = javax.security.auth.Subject.getSubject(
                java.security.AccessController.getContext());
        if (subject != null) {
            for (java.security.Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                    return p.getName();
                }
            }
        }
        return "console";
    }

    static String bytes(long bytes) {
        if (bytes <= 0) {
            return "-";
        }
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 1 ? String.format("%.1f GiB", gib) : String.format("%.0f MiB", bytes / (1024.0 * 1024));
    }
}
