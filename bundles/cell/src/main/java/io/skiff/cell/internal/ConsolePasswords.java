package io.skiff.cell.internal;

import java.security.SecureRandom;

/** Random VNC passwords: 8 characters, the most the VNC authentication scheme uses. */
final class ConsolePasswords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private ConsolePasswords() {
    }

    static String random() {
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
