package io.skiff.console.vnc.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The proxy's side of the RFB handshake towards the browser: it offers version 3.8 and only the "None" security
 * type, because the proxy has already authenticated to the VNC server itself; the browser never sees the password.
 * Bytes arrive in WebSocket messages of any size; {@link #feed} consumes the handshake and hands back what the
 * browser sent past it (its ClientInit and later messages), which go to the server unchanged.
 */
final class BrowserHandshake {
    static final byte[] GREETING = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

    /** What to send to the browser and what to relay to the server after one {@link #feed}. */
    record Step(byte[] toBrowser, byte[] toServer) {
    }

    private enum State { VERSION, SECURITY, DONE }

    private State state = State.VERSION;
    private byte[] pending = new byte[0];
    private int minor = 8;

    boolean done() {
        return state == State.DONE;
    }

    /**
     * @throws IllegalStateException when the browser does not speak RFB 3.7/3.8 or chooses another security type
     */
    Step feed(byte[] bytes) {
        if (state == State.DONE) {
            return new Step(new byte[0], bytes);
        }
        byte[] buffer = concat(pending, bytes);
        ByteArrayOutputStream toBrowser = new ByteArrayOutputStream();
        int at = 0;
        if (state == State.VERSION) {
            if (buffer.length - at < 12) {
                pending = buffer;
                return new Step(new byte[0], new byte[0]);
            }
            String version = new String(buffer, at, 12, StandardCharsets.US_ASCII);
            if (!version.startsWith("RFB 003.")) {
                throw new IllegalStateException("the browser does not speak RFB");
            }
            minor = Integer.parseInt(version.substring(8, 11));
            if (minor < 7) {
                throw new IllegalStateException("the browser speaks RFB 3." + minor + "; 3.7 or later is needed");
            }
            at += 12;
            toBrowser.writeBytes(new byte[]{1, RfbServerLogin.SECURITY_NONE});
            state = State.SECURITY;
        }
        if (state == State.SECURITY) {
            if (buffer.length - at < 1) {
                pending = Arrays.copyOfRange(buffer, at, buffer.length);
                return new Step(toBrowser.toByteArray(), new byte[0]);
            }
            if (buffer[at] != RfbServerLogin.SECURITY_NONE) {
                throw new IllegalStateException("the browser chose security type " + buffer[at] + ", not None");
            }
            at++;
            if (minor >= 8) {
                toBrowser.writeBytes(new byte[]{0, 0, 0, 0});
            }
            state = State.DONE;
        }
        pending = new byte[0];
        return new Step(toBrowser.toByteArray(), Arrays.copyOfRange(buffer, at, buffer.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
