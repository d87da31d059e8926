package io.skiff.storage.nfs.internal;

import java.util.Optional;

/**
 * The {@code nfs://} URLs of files on the export, as QEMU's NFS client (libnfs) takes them:
 * {@code nfs://<server><export>/<file>}, an IPv6 server in brackets. libnfs finds the export by mounting the longest
 * leading part of the path the server exports, so the export must be spelt as the server's MOUNT service knows it.
 * Settings and volume names are checked before they get here, so nothing in a URL needs escaping.
 */
final class NfsUrls {
    static final String SCHEME = "nfs://";

    private NfsUrls() {
    }

    /**
     * @param path a file below the export, relative ({@code vm-1.qcow2}, {@code images/debian.qcow2})
     */
    static String file(String server, String export, String path) {
        return SCHEME + host(server) + directory(export) + path;
    }

    /** The server as it stands in a URL: an IPv6 address in brackets. */
    static String host(String server) {
        return server.indexOf(':') >= 0 ? "[" + server + "]" : server;
    }

    /**
     * @return the path below the export of a URL that points into it ({@code images/debian.qcow2}), or empty for a
     *     URL of another server or export
     */
    static Optional<String> pathInExport(String url, String server, String export) {
        String prefix = SCHEME + host(server) + directory(export);
        if (url == null || !url.startsWith(prefix) || url.length() == prefix.length() || url.indexOf('?') >= 0) {
            return Optional.empty();
        }
        return Optional.of(url.substring(prefix.length()));
    }

    private static String directory(String export) {
        return export.endsWith("/") ? export : export + "/";
    }
}
