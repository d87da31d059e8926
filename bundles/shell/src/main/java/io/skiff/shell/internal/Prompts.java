package io.skiff.shell.internal;

import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.console.Session;

import java.io.IOException;

/** Asking the operator for a secret. */
final class Prompts {
    private Prompts() {
    }

    /**
     * Reads a secret from the terminal without echoing it.
     *
     * @throws SkiffException {@code INVALID password} when the session has no terminal (e.g. {@code ssh host command})
     */
    static String secret(Session session, String prompt) throws IOException {
        try {
            return session.readLine(prompt, '*');
        } catch (UnsupportedOperationException noTerminal) {
            throw SkiffException.invalid("password", "this session has no terminal to ask for the password;"
                    + " give it with --password, or sign in interactively");
        }
    }
}
