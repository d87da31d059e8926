package io.skiff.osgi.support.host;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * This host's name as Skiff uses it by default: the transport's node name when {@code nodeName} is empty, and the
 * host name a cell reports. It must be unique in a domain and stable across restarts, and it must not depend on name
 * resolution (a host in a network namespace often cannot resolve its own name). In this order:
 * <ol>
 *   <li>the kernel's host name (the UTS name, {@code /proc/sys/kernel/hostname}), unless empty or {@code localhost};</li>
 *   <li>{@code skiff-} and the first 12 hex digits of {@code /etc/machine-id};</li>
 *   <li>the name Java resolves for this host, unless empty or {@code localhost} (hosts without {@code /proc});</li>
 *   <li>{@link #FALLBACK}.</li>
 * </ol>
 */
public final class HostNames {
    /** The name of last resort: not unique, so a second such host is refused by the Core. */
    public static final String FALLBACK = "skiff-node";
    private static final int MACHINE_ID_DIGITS = 12;

    private final Path kernelHostName;
    private final Path machineId;
    private final Supplier<String> resolvedName;

    /**
     * @param kernelHostName the file with the kernel's host name
     * @param machineId the file with the machine id (32 hex digits)
     * @param resolvedName the host name as the platform resolves it; may return {@code null} or throw
     */
    public HostNames(Path kernelHostName, Path machineId, Supplier<String> resolvedName) {
        this.kernelHostName = kernelHostName;
        this.machineId = machineId;
        this.resolvedName = resolvedName;
    }

    /** @return the sources of a Linux host */
    public static HostNames system() {
        return new HostNames(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/machine-id"), () -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** @return this host's name, never empty */
    public String name() {
        String kernel = firstLine(kernelHostName);
        if (usable(kernel)) {
            return kernel;
        }
        String id = firstLine(machineId);
        if (id != null && id.length() >= MACHINE_ID_DIGITS && id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return "skiff-" + id.substring(0, MACHINE_ID_DIGITS).toLowerCase(Locale.ROOT);
        }
        String resolved;
        try {
            resolved = resolvedName.get();
        } catch (RuntimeException e) {
            resolved = null;
        }
        return usable(resolved) ? resolved.strip() : FALLBACK;
    }

    private static boolean usable(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return !n.equals("localhost") && !n.startsWith("localhost.");
    }

    private static String firstLine(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            int end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
