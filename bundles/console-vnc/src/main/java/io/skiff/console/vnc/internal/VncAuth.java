package io.skiff.console.vnc.internal;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The response of RFB's "VNC Authentication" (security type 2): the 16-byte challenge DES-encrypted with the
 * password as key, padded to 8 bytes, with the bits of every key byte in reverse order (a quirk of the original
 * implementation every server follows).
 */
final class VncAuth {
    private VncAuth() {
    }

    static byte[] response(String password, byte[] challenge) {
        if (challenge.length != 16) {
            throw new IllegalArgumentException("a VNC challenge has 16 bytes");
        }
        byte[] key = new byte[8];
        byte[] pw = password.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 8 && i < pw.length; i++) {
            key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24);
        }
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is not available in this JVM", e);
        }
    }
}
