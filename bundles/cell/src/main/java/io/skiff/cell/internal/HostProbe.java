package io.skiff.cell.internal;

import io.skiff.api.model.CellResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Measures the host from Linux's {@code /proc}: logical CPUs, memory, load, and the file system that holds
 * the cell's data.
 */
public class HostProbe {
    private final Path procRoot;
    private final Path dataDir;
    private final Clock clock;

    public HostProbe(Path procRoot, Path dataDir, Clock clock) {
        this.procRoot = procRoot;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    public CellResources measure() throws IOException {
        long memTotal = 0;
        long memAvailable = 0;
        for (String line : Files.readAllLines(procRoot.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memTotal = kib(line);
            } else if (line.startsWith("MemAvailable:")) {
                memAvailable = kib(line);
            }
        }
        double load = Double.parseDouble(Files.readString(procRoot.resolve("loadavg")).trim().split("\\s+")[0]);
        Files.createDirectories(dataDir);
        FileStore fs = Files.getFileStore(dataDir);
        return new CellResources(cpuCount(), memTotal, memAvailable, fs.getTotalSpace(), fs.getUsableSpace(), load,
                clock.instant());
    }

    private int cpuCount() throws IOException {
        Path cpuinfo = procRoot.resolve("cpuinfo");
        if (Files.exists(cpuinfo)) {
            List<String> lines = Files.readAllLines(cpuinfo);
            long n = lines.stream().filter(l -> l.startsWith("processor")).count();
            if (n > 0) {
                return (int) n;
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static long kib(String line) {
        String[] parts = line.split("\\s+");
        return Long.parseLong(parts[1]) * 1024L;
    }
}
