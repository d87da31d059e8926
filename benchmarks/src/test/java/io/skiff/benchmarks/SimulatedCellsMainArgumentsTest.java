package io.skiff.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line between RestLoadBenchmark and its cells' JVM, and the other pure parts. Starts nothing. */
class SimulatedCellsMainArgumentsTest {

    @Test
    void commandLineReadsBackAsWritten() {
        SimulatedCellsMain.Arguments a = new SimulatedCellsMain.Arguments("skiff-rest-load-1", Path.of("/k/cluster.key"),
                7985, 10, 28200, Path.of("/d/cells"), 64, 30_000);
        assertEquals(a, SimulatedCellsMain.Arguments.parse(a.toArgs().toArray(String[]::new)));
    }

    @Test
    void refusesWhatCannotRun() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse("d", "k"))
                .getMessage().contains("expected 8 arguments"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse("d", "k",
                "7985", "ten", "28200", "/d", "64", "0")).getMessage().contains("cells is not a number"));
        assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse("d", "k", "7985",
                Integer.toString(ScaleSimulation.MAX_CELLS + 1), "28200", "/d", "64", "0"));
        assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse("d", "k", "7985",
                "10", "65500", "/d", "64", "0"));
        assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse(" ", "k", "7985",
                "10", "28200", "/d", "64", "0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SimulatedCellsMain.Arguments.parse("d", "k",
                "7985", "10", "28200", "/d", "64", "500")).getMessage().contains("at least 1000 ms"));
    }

    @Test
    void aLongerFailureDetectionKeepsItsProportions() {
        assertEquals(io.skiff.transport.internal.FailureDetection.DEFAULT, SimulatedCells.failureDetection(0));
        io.skiff.transport.internal.FailureDetection d = SimulatedCells.failureDetection(30_000);
        assertEquals(30_000, d.timeout().toMillis());
        assertEquals(5_000, d.interval().toMillis());
        assertEquals(10_000, d.verifySuspectTimeout().toMillis());
    }

    @Test
    void javaOptionsSplitAtWhiteSpace() {
        assertEquals(List.of(), SimulatedCellsProcess.options(" "));
        assertEquals(List.of("-Xmx2g", "-XX:+UseSerialGC"), SimulatedCellsProcess.options(" -Xmx2g  -XX:+UseSerialGC "));
    }

    @Test
    void cellsReportEnoughCpusForTheInstances() {
        assertEquals(64, SimulatedCells.cpusFor(1000, 10));
        assertEquals(313, SimulatedCells.cpusFor(10000, 10)); // 10,000 x 1.25 / (10 x 4) = 312.5
        assertEquals(256L << 30, SimulatedCells.memoryFor(64));
        int cpus = SimulatedCells.cpusFor(100_000, 20); // 1,563
        assertTrue(SimulatedCells.memoryFor(cpus) * 20 >= 100_000L * (64L << 20) + 20 * (2L << 30),
                "20 cells have memory for 100,000 instances of 64 MiB beside the 2 GiB each keeps");
    }

    @Test
    void percentilesOfATiming() {
        RestSession.Timing t = new RestSession.Timing("x", 4, 2.0, List.of(4.0, 1.0, 3.0, 2.0), 0);
        assertEquals(2.0, t.percentile(50));
        assertEquals(4.0, t.percentile(99));
        assertEquals(4.0, t.percentile(100));
        assertEquals(2.0, t.callsPerSecond());
        assertEquals(0.0, new RestSession.Timing("none", 0, 0, List.of(), 0).percentile(50));
    }
}
