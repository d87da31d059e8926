package io.skiff.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM of {@link SimulatedCellsMain}, started and ended by {@link RestLoadBenchmark}: {@code java} of the running
 * JVM with the benchmarks' own class path, its output in a log file. It ends when its standard input ends, which this
 * class holds: closing it is the clean stop, and the cells also go when the benchmark's JVM dies unannounced.
 */
final class SimulatedCellsProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private SimulatedCellsProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the JVM; {@code javaOptions} go before the main class (e.g. {@code -Xmx1g}). */
    static SimulatedCellsProcess start(SimulatedCellsMain.Arguments arguments, List<String> javaOptions, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(classPath());
        command.add(SimulatedCellsMain.class.getName());
        command.addAll(arguments.toArgs());
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new SimulatedCellsProcess(pb.start(), log);
    }

    /**
     * The class path this class was loaded from: {@code exec:java} runs the benchmarks in Maven's JVM from a class
     * loader of their own (whose URLs are the module's classes and dependencies; {@code java.class.path} is then
     * Maven's launcher), a plain {@code java -cp} from the system class path.
     */
    static String classPath() {
        ClassLoader loader = SimulatedCellsProcess.class.getClassLoader();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("class path entry is not a file: " + url, e);
                }
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits for the {@value SimulatedCellsMain#READY} line; returns it. Fails when the JVM ends or time is up. */
    String awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith(SimulatedCellsMain.READY)) {
                        return line;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the simulated cells' JVM exited with " + process.exitValue()
                        + " before " + SimulatedCellsMain.READY + "; see " + log);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the simulated cells not " + SimulatedCellsMain.READY + " within "
                + timeout.toSeconds() + " s; see " + log);
    }

    /** Ends the JVM: its standard input closed (it stops its cells), SIGKILL if it is not gone after 30 s. */
    @Override
    public void close() {
        try (OutputStream in = process.getOutputStream()) {
            in.flush();
        } catch (IOException e) {
            // already closed: the JVM is gone
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.out.println("  simulated cells' JVM " + process.pid() + " still runs after 30 s; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killQuietly();
    }

    /** SIGKILL to the JVM (and anything it started), waiting until it is gone; for shutdown hooks. */
    void killQuietly() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("WARNING: process " + h.pid() + " of the simulated cells still runs");
            }
        }
    }

    /** Splits the {@code bench.sim.java.opts} text at white space. */
    static List<String> options(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }
}
