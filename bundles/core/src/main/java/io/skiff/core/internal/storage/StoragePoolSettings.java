package io.skiff.core.internal.storage;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.SkiffException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings a storage pool of each type takes, checked before any cell is asked: a value that cannot work is
 * refused as INVALID naming its field. {@code nfs}: {@code server} (host name or address) and {@code export} (an
 * absolute path) required, {@code mode} {@code libnfs} (default) or {@code mount}. {@code local}: {@code path}
 * optional (an absolute directory; none: the cells' default directory). Whether the server answers and serves the
 * export is for a cell to say ({@link StoragePoolCheck}).
 */
final class StoragePoolSettings {
    static final String SERVER = "server";
    static final String EXPORT = "export";
    static final String MODE = "mode";
    static final String PATH = "path";
    private static final Set<String> MODES = Set.of("libnfs", "mount");
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern EXPORT_PATH = Pattern.compile("(/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)+/?|/");
    private static final Pattern LOCAL_PATH = Pattern.compile("(/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)+/?");

    private StoragePoolSettings() {
    }

    /**
     * @param type {@code local} or {@code nfs}
     * @return the settings as they are kept: trimmed, the defaults filled in, no trailing {@code /}
     * @throws SkiffException INVALID naming {@code type} or the setting
     */
    static Map<String, String> check(String type, Map<String, String> settings) {
        Map<String, String> given = settings == null ? Map.of() : settings;
        if (StoragePool.NFS.equals(type)) {
            requireOnly(given, Set.of(SERVER, EXPORT, MODE), type);
            Map<String, String> out = new LinkedHashMap<>();
            String server = trimmed(given.get(SERVER));
            if (server.isEmpty()) {
                throw SkiffException.invalid(SERVER, "an nfs storage pool needs the NFS server's host name or address "
                        + "(server)");
            }
            if (!HOST.matcher(server).matches()) {
                throw SkiffException.invalid(SERVER, "server '" + server + "' is not a host name, IPv4 or IPv6 address");
            }
            out.put(SERVER, server);
            String export = trimmed(given.get(EXPORT));
            if (export.isEmpty()) {
                throw SkiffException.invalid(EXPORT, "an nfs storage pool needs the exported directory (export), "
                        + "e.g. /export");
            }
            if (!EXPORT_PATH.matcher(export).matches()) {
                throw SkiffException.invalid(EXPORT, "export '" + export + "' must be the absolute path the server "
                        + "exports: letters, digits, '.', '_', '+' and '-' between single '/' (no '.' or '..' parts)");
            }
            out.put(EXPORT, withoutTrailingSlash(export));
            String mode = trimmed(given.get(MODE));
            mode = mode.isEmpty() ? "libnfs" : mode;
            if (!MODES.contains(mode)) {
                throw SkiffException.invalid(MODE, "mode '" + mode + "' is neither libnfs nor mount");
            }
            out.put(MODE, mode);
            return Map.copyOf(out);
        }
        if (StoragePool.LOCAL.equals(type)) {
            requireOnly(given, Set.of(PATH), type);
            String path = trimmed(given.get(PATH));
            if (path.isEmpty()) {
                return Map.of();
            }
            if (!LOCAL_PATH.matcher(path).matches()) {
                throw SkiffException.invalid(PATH, "path '" + path + "' must be an absolute directory: letters, "
                        + "digits, '.', '_', '+' and '-' between single '/' (no '.' or '..' parts)");
            }
            return Map.of(PATH, withoutTrailingSlash(path));
        }
        throw SkiffException.invalid("type", type == null || type.isEmpty() ? "type is required: local or nfs"
                : "type '" + type + "' is neither local nor nfs");
    }

    private static void requireOnly(Map<String, String> given, Set<String> known, String type) {
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw SkiffException.invalid(key, "a " + type + " storage pool has no setting '" + key + "' (it takes "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    private static String withoutTrailingSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
