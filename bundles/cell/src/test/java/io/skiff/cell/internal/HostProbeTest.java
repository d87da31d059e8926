package io.skiff.cell.internal;

import io.skiff.api.model.CellResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostProbeTest {

    @Test
    void readsProcFiles(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       16384 kB\nMemFree:  100 kB\nMemAvailable:    8192 kB\n");
        Files.writeString(proc.resolve("loadavg"), "0.52 0.40 0.30 1/234 5678\n");
        Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        HostProbe probe = new HostProbe(proc, dir.resolve("data"), Clock.fixed(now, ZoneOffset.UTC));

        CellResources r = probe.measure();

        assertEquals(3, r.cpuCount());
        assertEquals(16384L * 1024, r.memoryTotalBytes());
        assertEquals(8192L * 1024, r.memoryAvailableBytes());
        assertEquals(0.52, r.loadAverage(), 1e-9);
        assertTrue(r.diskTotalBytes() > 0 && r.diskFreeBytes() <= r.diskTotalBytes());
        assertEquals(now, r.reportedAt());
    }

    @Test
    void measuresThisHost(@TempDir Path dir) throws Exception {
        CellResources r = new HostProbe(Path.of("/proc"), dir, Clock.systemUTC()).measure();
        assertEquals(Runtime.getRuntime().availableProcessors() > 0, r.cpuCount() > 0);
        assertTrue(r.memoryTotalBytes() > 0);
    }
}
