package io.skiff.itests.vm;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An interactive Karaf shell session over SSH (a terminal, {@code ssh -tt}), signed in before it is needed: a
 * command typed into it runs at once, without the second or more that signing in takes. Used where the moment a
 * command runs is what a test is about.
 */
final class ShellSession implements AutoCloseable {
    /** The end of Karaf's prompt ({@code admin@skiff()> }). */
    private static final String PROMPT = "()> ";

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final OutputStream keys;

    private ShellSession(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the session ended
            }
        }, "shell-session-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Signs in as {@code user} and waits for the first prompt. */
    static ShellSession open(int sshPort, String user, String password) {
        try {
            Process p = new ProcessBuilder("sshpass", "-p", password, "ssh", "-tt", "-p", Integer.toString(sshPort),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                    user + "@127.0.0.1").redirectErrorStream(true).start();
            ShellSession session = new ShellSession(p);
            session.await("prompt", () -> session.out.indexOf(PROMPT) >= 0);
            return session;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ssh: " + e, e);
        }
    }

    /** Types a command and waits until the shell prompts again; returns what the session printed in all. */
    String run(String command) throws IOException {
        int from = out.length();
        keys.write((command + "\r").getBytes(StandardCharsets.UTF_8));
        keys.flush();
        // Enter ends the command's line; the next prompt after that line means the command has finished
        await("the prompt after '" + command + "'", () -> {
            int lineEnd = out.indexOf("\n", from);
            return lineEnd >= 0 && out.indexOf(PROMPT, lineEnd) >= 0;
        });
        return out.toString();
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread().until(() -> {
                        if (condition.call()) {
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new AssertionError("the shell session ended: " + out);
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " in the shell session: " + out);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
