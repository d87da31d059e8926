package io.skiff.transport.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The default node name: this host's name, as the admin knows the machine. */
final class HostName {

    private HostName() {
    }

    static String local() {
        String env = System.getenv("HOSTNAME");
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException ex) {
            // a host without a resolvable name still has $HOSTNAME, or falls back below
        }
        return env != null && !env.isBlank() ? env : "skiff-node";
    }
}
