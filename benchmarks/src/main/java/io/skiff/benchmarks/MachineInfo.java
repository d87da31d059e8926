package io.skiff.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A short description of the machine a benchmark runs on (CPUs, memory, CPU model, kernel, Java, the disk and file
 * system of the benchmark directory, the load before the run), so that figures are always pasted with it. Reads
 * {@code /proc} and {@code /etc/os-release}; prints "?" where something is not available (non-Linux).
 */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** The description as ordered key/value pairs; {@code dir} is the directory whose disk matters. */
    public static Map<String, String> describe(Path dir) {
        Map<String, String> info = new LinkedHashMap<>();
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        long processors = cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        info.put("CPUs", Runtime.getRuntime().availableProcessors() + " available to the JVM"
                + (processors > 0 ? " (" + processors + " in /proc/cpuinfo)" : ""));
        String model = field(cpuinfo, "model name");
        boolean virtual = cpuinfo.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" hypervisor"));
        info.put("CPU model", model + (virtual ? " (virtual machine: hypervisor flag set)" : ""));
        List<String> meminfo = lines(Path.of("/proc/meminfo"));
        info.put("memory", mib(field(meminfo, "MemTotal")) + " total, " + mib(field(meminfo, "MemAvailable"))
                + " available, swap " + mib(field(meminfo, "SwapTotal")));
        String os = field(lines(Path.of("/etc/os-release")), "PRETTY_NAME").replace("\"", "");
        info.put("OS", os + ", kernel " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        info.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        info.put("bench dir", dir.toAbsolutePath().normalize().toString());
        info.put("disk", disk(dir));
        List<String> loadavg = lines(Path.of("/proc/loadavg"));
        info.put("load average", loadavg.isEmpty() ? "?" : String.join(" ", List.of(loadavg.get(0).split(" ")).subList(0, 3))
                + " (1, 5, 15 min, before the run)");
        return info;
    }

    /** Prints the description, one "key: value" line each. */
    public static void print(Path dir, PrintStream out) {
        out.println("Machine:");
        describe(dir).forEach((k, v) -> out.printf(Locale.ROOT, "  %-13s %s%n", k + ":", v));
    }

    private static String disk(Path dir) {
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return "?";
            }
            FileStore store = Files.getFileStore(existing);
            String device = store.name();
            String text = device + ", " + store.type() + ", " + (store.getTotalSpace() >> 30) + " GiB, "
                    + (store.getUsableSpace() >> 30) + " GiB free";
            if (device.startsWith("/dev/")) {
                String block = blockDevice(device.substring("/dev/".length()));
                if (block != null) {
                    String rotational = read(Path.of("/sys/block", block, "queue/rotational")).trim();
                    String kind = block.startsWith("vd") ? "virtio block device"
                            : rotational.equals("0") ? "non-rotational (SSD/NVMe)" : "rotational (per the kernel)";
                    text += "; " + kind;
                }
            }
            return text;
        } catch (IOException | RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    /** The whole-disk name of a partition or disk name (vda1 -> vda, nvme0n1p2 -> nvme0n1), or null. */
    private static String blockDevice(String name) {
        for (String candidate : List.of(name, name.replaceAll("p?\\d+$", ""))) {
            if (Files.isDirectory(Path.of("/sys/block", candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static String mib(String kiloBytes) {
        try {
            long kb = Long.parseLong(kiloBytes.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%d MiB", kb / 1024);
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int sep = line.indexOf(line.contains("=") && !line.contains(":") ? '=' : ':');
            if (sep > 0 && line.substring(0, sep).trim().equals(key)) {
                return line.substring(sep + 1).trim();
            }
        }
        return "?";
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
