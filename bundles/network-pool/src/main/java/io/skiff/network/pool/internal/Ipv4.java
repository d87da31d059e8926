package io.skiff.network.pool.internal;

import io.skiff.api.service.SkiffException;

/** Dotted-quad IPv4 addresses as unsigned 32-bit numbers (held in a long). */
final class Ipv4 {
    private Ipv4() {
    }

    /**
     * @param field the request field, for the error
     * @param text an address such as {@code 10.0.0.1} (no leading zeros, no spaces)
     * @return the address as a number
     * @throws SkiffException INVALID naming the field
     */
    static long parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw SkiffException.invalid(field, field + " is required");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw malformed(field, text);
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw malformed(field, text);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw malformed(field, text);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static SkiffException malformed(String field, String text) {
        return SkiffException.invalid(field, field + " '" + text + "' is not an IPv4 address (a.b.c.d)");
    }

    static String format(long value) {
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }

    static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    }

    static long network(long address, int prefixLength) {
        return address & mask(prefixLength);
    }

    static long broadcast(long address, int prefixLength) {
        return network(address, prefixLength) | (~mask(prefixLength) & 0xFFFFFFFFL);
    }
}
