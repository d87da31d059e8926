package io.skiff.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * SIMULATION (libvirt test:/// driver): the {@link SimulatedCells} of {@link RestLoadBenchmark} in a JVM of their own,
 * so that they join the real distribution's Core over the cluster transport as cells on other hosts would, and their
 * work is not counted in the Karaf JVM's heap. A test driver, started by the benchmark, never a Skiff component:
 *
 * <pre>java -cp &lt;the benchmarks' class path&gt; io.skiff.benchmarks.SimulatedCellsMain \
 *     &lt;domain&gt; &lt;key file&gt; &lt;Core transport port&gt; &lt;cells&gt; &lt;first port&gt; &lt;data dir&gt; &lt;cpus&gt;</pre>
 *
 * <p>It prints {@value #READY} (and the cells' ids and ports) once every cell's transport is in the Core's cluster
 * view and every cell's agent has had its first report, then serves until its standard input ends: the benchmark
 * holds the other end, so the cells go when the benchmark's JVM goes, however it ends. Everything binds to 127.0.0.1.
 */
public final class SimulatedCellsMain {

    /** The line that says the cells are ready. */
    static final String READY = "READY";
    /** The prefix of the cells' ids, so that the benchmark tells them from the distribution's own cell. */
    static final String ID_PREFIX = "sim-cell-";

    /**
     * The command line, in this order.
     *
     * @param domain the Core's cluster domain
     * @param keyFile the Core's cluster key file
     * @param corePort the Core's transport port on 127.0.0.1
     * @param cells how many cells, 1 to {@value ScaleSimulation#MAX_CELLS}
     * @param firstPort the first transport port tried for the cells
     * @param dataDir where the cells keep their files
     * @param cpus CPUs each cell reports
     * @param failureDetectionMs the transport's failure detection time-out in ms (as the Core's
     *                           {@code failureDetectionTimeoutMs}); 0 for the transport's default
     */
    record Arguments(String domain, Path keyFile, int corePort, int cells, int firstPort, Path dataDir, int cpus,
                     int failureDetectionMs) {

        Arguments {
            if (domain == null || domain.isBlank()) {
                throw new IllegalArgumentException("domain is empty");
            }
            if (cells < 1 || cells > ScaleSimulation.MAX_CELLS) {
                throw new IllegalArgumentException("cells must be 1 to " + ScaleSimulation.MAX_CELLS + ", not "
                        + cells);
            }
            port("Core port", corePort);
            port("first port", firstPort);
            if (cpus < 1) {
                throw new IllegalArgumentException("cpus must be at least 1, not " + cpus);
            }
            if (failureDetectionMs != 0 && failureDetectionMs < 1000) {
                throw new IllegalArgumentException("failure detection must be 0 (the default) or at least 1000 ms, not "
                        + failureDetectionMs);
            }
        }

        private static void port(String what, int port) {
            // the failure detection port (+ 100) must be a port too
            if (port < 1 || port > 65535 - 101) {
                throw new IllegalArgumentException(what + " must be 1 to " + (65535 - 101) + ", not " + port);
            }
        }

        static Arguments parse(String... args) {
            if (args.length != 8) {
                throw new IllegalArgumentException("expected 8 arguments: domain, key file, Core transport port, "
                        + "cells, first port, data dir, cpus, failure detection ms; got " + args.length + ": "
                        + List.of(args));
            }
            return new Arguments(args[0], Path.of(args[1]), number("Core port", args[2]), number("cells", args[3]),
                    number("first port", args[4]), Path.of(args[5]), number("cpus", args[6]),
                    number("failure detection ms", args[7]));
        }

        private static int number(String what, String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " is not a number: '" + text + "'", e);
            }
        }

        /** The command line that {@link #parse} reads back. */
        List<String> toArgs() {
            return List.of(domain, keyFile.toString(), Integer.toString(corePort), Integer.toString(cells),
                    Integer.toString(firstPort), dataDir.toString(), Integer.toString(cpus),
                    Integer.toString(failureDetectionMs));
        }
    }

    private SimulatedCellsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Arguments a = Arguments.parse(args);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "[sim-cells] %s: %d simulated cells of domain %s, Core at 127.0.0.1:%d, pid %d%n",
                ScaleSimulation.LABEL, a.cells(), a.domain(), a.corePort(), ProcessHandle.current().pid());
        SimulatedCells cells = new SimulatedCells(new SimulatedCells.Settings(a.domain(), a.keyFile(), a.corePort(),
                a.firstPort(), a.dataDir(), a.cpus(), false, ID_PREFIX,
                SimulatedCells.failureDetection(a.failureDetectionMs())), out);
        Runtime.getRuntime().addShutdownHook(new Thread(cells::close, "close-simulated-cells"));
        cells.start(a.cells(), ScaleSimulation.linuxVirtio());
        int members = a.cells() + 1;
        ScaleSimulation.await("every cell's transport in a view of the Core and all cells",
                Duration.ofSeconds(30 + 3L * a.cells()),
                () -> cells.cells().stream().allMatch(c -> c.transport().members().size() >= members),
                () -> cells.cells().stream().map(c -> c.id() + " sees " + c.transport().members().size())
                        .toList().toString());
        cells.awaitFirstResync();
        out.println(READY + " " + cells.cells().stream().map(c -> c.id() + "@" + c.port()).toList());
        out.flush();
        awaitEnd(System.in);
        out.println("[sim-cells] standard input ended; stopping");
        System.exit(0); // the shutdown hook closes the cells; JGroups and libvirt leave non-daemon threads behind
    }

    private static void awaitEnd(InputStream in) {
        try {
            while (in.read() >= 0) {
                // nothing is ever sent; the end of the stream is the signal
            }
        } catch (IOException e) {
            // the other end is gone
        }
    }
}
