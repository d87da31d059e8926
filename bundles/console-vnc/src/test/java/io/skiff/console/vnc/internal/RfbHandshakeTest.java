package io.skiff.console.vnc.internal;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RfbHandshakeTest {

    /** A VNC server with password authentication, as QEMU's: checks the DES response the standard way. */
    private static CompletableFuture<String> fakeServer(ServerSocket server, String password) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
                byte[] version = new byte[12];
                in.readFully(version);
                out.write(new byte[]{1, 2});
                if (in.readUnsignedByte() != 2) {
                    return "wrong security type";
                }
                byte[] challenge = new byte[16];
                Arrays.fill(challenge, (byte) 7);
                out.write(challenge);
                byte[] response = new byte[16];
                in.readFully(response);
                byte[] key = Arrays.copyOf(password.getBytes(StandardCharsets.US_ASCII), 8);
                for (int i = 0; i < 8; i++) {
                    key[i] = (byte) (Integer.reverse(key[i] & 0xff) >>> 24);
                }
                Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
                des.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "DES"));
                boolean ok = Arrays.equals(challenge, des.doFinal(response));
                if (!ok) {
                    byte[] reason = "Authentication failed".getBytes(StandardCharsets.US_ASCII);
                    out.writeInt(1);
                    out.writeInt(reason.length);
                    out.write(reason);
                    return "refused";
                }
                out.writeInt(0);
                int shared = in.readUnsignedByte();
                return "client-init " + shared;
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    @Test
    void theProxyLogsInWithThePasswordAndRelaysClientInit() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> result = fakeServer(server, "s3cr3tPw");
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                RfbServerLogin.login(s.getInputStream(), s.getOutputStream(), "s3cr3tPw");
                s.getOutputStream().write(1);
                assertEquals("client-init 1", result.get());
            }
        }
    }

    @Test
    void aWrongPasswordFailsWithTheServersReason() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> result = fakeServer(server, "right");
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
                IOException e = assertThrows(IOException.class,
                        () -> RfbServerLogin.login(s.getInputStream(), s.getOutputStream(), "wrong"));
                assertTrue(e.getMessage().contains("Authentication failed"), e.getMessage());
                assertEquals("refused", result.get());
            }
        }
    }

    @Test
    void theBrowserIsOfferedNoneAndItsBytesPassOnAfterTheHandshake() {
        BrowserHandshake h = new BrowserHandshake();
        // the version arrives in two pieces
        BrowserHandshake.Step s1 = h.feed("RFB 00".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, s1.toBrowser().length);
        BrowserHandshake.Step s2 = h.feed("3.008\n".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[]{1, 1}, s2.toBrowser());
        assertFalse(h.done());
        // security choice "None" and ClientInit (shared = 1) in one message
        BrowserHandshake.Step s3 = h.feed(new byte[]{1, 1});
        assertArrayEquals(new byte[]{0, 0, 0, 0}, s3.toBrowser());
        assertArrayEquals(new byte[]{1}, s3.toServer());
        assertTrue(h.done());
        assertArrayEquals(new byte[]{9, 8}, h.feed(new byte[]{9, 8}).toServer());
    }

    @Test
    void aBrowserChoosingAnotherSecurityTypeIsRefused() {
        BrowserHandshake h = new BrowserHandshake();
        h.feed("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> h.feed(new byte[]{2}));
    }
}
