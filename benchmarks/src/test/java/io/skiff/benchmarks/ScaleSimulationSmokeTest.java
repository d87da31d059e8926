package io.skiff.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the scale simulation tiny (2 cells, 5 instances, libvirt's test driver, JGroups on 127.0.0.1) so that the
 * harness stays working; measures nothing. About 6 s.
 */
class ScaleSimulationSmokeTest {

    @Test
    void twoCellsFiveInstances(@TempDir Path tmp) throws Exception {
        assumeTrue(libvirtClientLibrary(tmp), "libvirt's client library (libvirt0) is not installed");
        Path dir = tmp.resolve("sim");
        // ports clear of a running Skiff (7800/7900) and of a hand-run simulation (28000+)
        ScaleSimulation.Settings settings = new ScaleSimulation.Settings(dir, 2, 5, 2, 4, 3, 28500, 0, "per-cell",
                Duration.ofMinutes(2), false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ScaleSimulation.Result r = ScaleSimulation.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertEquals(5, r.succeeded(), log.toString(StandardCharsets.UTF_8) + r.errors());
        assertEquals(0, r.failed(), r.errors().toString());
        assertEquals(0, r.submitFailures(), r.errors().toString());
        assertEquals(5, r.perCell().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(5, r.domainsPerCell().values().stream().mapToInt(Integer::intValue).sum(),
                "every instance has its domain on its cell's private test driver");
        assertEquals(4, r.latencies().size());
        assertFalse(Files.exists(dir), "the working directory is deleted");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScaleSimulation.print(r, new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("SIMULATION (libvirt test:/// driver)"), table);
        assertTrue(table.contains("instances/s"), table);
        assertTrue(table.contains("InstanceService.list()"), table);
    }

    /** Whether the native libvirt library loads; a private test driver so no shared state is created. */
    private static boolean libvirtClientLibrary(Path tmp) {
        try {
            Path node = tmp.resolve("probe-node.xml");
            Files.writeString(node, "<node>\n</node>\n");
            Connect c = new Connect("test://" + node, false);
            c.close();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
