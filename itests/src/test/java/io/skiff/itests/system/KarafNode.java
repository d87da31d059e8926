package io.skiff.itests.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * One Skiff distribution unpacked into its own Karaf home with its own ports, run as a separate
 * {@code bin/karaf server} process: a simulated host. Everything binds to loopback.
 */
public final class KarafNode implements AutoCloseable {
    public final String name;
    public final Path home;
    public final int httpPort;
    private Process process;

    private KarafNode(String name, Path home, int httpPort) {
        this.name = name;
        this.home = home;
        this.httpPort = httpPort;
    }

    /**
     * Unpacks the distribution archive into {@code dir/name} and sets its ports.
     *
     * @param portBase base for this node's ports: HTTP = base, SSH = base+1, RMI registry = base+2, RMI server = base+3,
     *                 HTTPS = base+4
     */
    public static KarafNode unpack(Path archive, Path dir, String name, int portBase) throws IOException, InterruptedException {
        Path target = dir.resolve(name);
        deleteTree(target);
        Files.createDirectories(target);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString(),
                "--strip-components=1").inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("could not unpack " + archive);
        }
        KarafNode node = new KarafNode(name, target, portBase);
        node.replaceInFile("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port = 8181",
                "org.osgi.service.http.port = " + portBase);
        node.replaceInFile("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure = 8443",
                "org.osgi.service.http.port.secure = " + (portBase + 4));
        node.replaceInFile("etc/org.apache.karaf.shell.cfg", "sshPort = 8101", "sshPort = " + (portBase + 1));
        node.replaceInFile("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = 1099",
                "rmiRegistryPort = " + (portBase + 2));
        node.replaceInFile("etc/org.apache.karaf.management.cfg", "rmiServerPort = 44444",
                "rmiServerPort = " + (portBase + 3));
        return node;
    }

    public void replaceInFile(String relative, String from, String to) throws IOException {
        Path file = home.resolve(relative);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        if (!text.contains(from)) {
            throw new IllegalStateException(relative + " has no '" + from + "'");
        }
        Files.writeString(file, text.replace(from, to), StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code etc/<pid>.cfg}, replacing it in one step (written beside, then renamed), so that fileinstall,
     * which polls {@code etc/} while the node runs, never reads it half-written.
     */
    public void writeConfig(String pid, Map<String, String> properties) throws IOException {
        StringBuilder b = new StringBuilder();
        properties.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        Path next = home.resolve(pid + ".cfg.next"); // outside etc/: fileinstall never sees it
        Files.writeString(next, b.toString());
        Files.move(next, home.resolve("etc/" + pid + ".cfg"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes a configuration as {@link #writeConfig} does, then waits until karaf.log has a line containing
     * {@code logged} that was written after the file: what the component of that PID logs once it has taken the
     * change (fileinstall polls {@code etc/} and hands the file to Config Admin, which updates the component).
     * Only a file whose properties differ from the current configuration makes Config Admin update anything.
     *
     * @throws AssertionError with what karaf.log gained meanwhile, if no such line comes within {@code timeout}
     */
    public void writeConfigAndAwaitLog(String pid, Map<String, String> properties, String logged, Duration timeout)
            throws IOException {
        long mark = logMark();
        writeConfig(pid, properties);
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).pollInSameThread()
                    .until(() -> logSince(mark).contains(logged));
        } catch (ConditionTimeoutException e) {
            String since = logSince(mark);
            throw new AssertionError("etc/" + pid + ".cfg written, but no '" + logged + "' in karaf.log within "
                    + timeout + "; karaf.log since the write:\n"
                    + (since.length() > 8000 ? since.substring(since.length() - 8000) : since));
        }
    }

    public void start(Map<String, String> env) throws IOException {
        start(env, List.of());
    }

    /**
     * Starts {@code bin/karaf server} through {@code launcher}, a command prefix that runs it elsewhere, e.g. inside
     * a host of the multi-host test bed ({@code nsenter -t <pid> -n -m -u --}); the prefix must exec the program,
     * so that {@link #kill()} reaches Karaf and its JVM.
     */
    public void start(Map<String, String> env, List<String> launcher) throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " already runs");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(home.resolve("bin/karaf").toString(), "server"));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(home.toFile());
        pb.environment().putAll(env);
        pb.environment().put("SKIFF_MAX_HEAP", "384m");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        process = pb.start();
    }

    /** Like {@code kill -9}: the JVM gets no chance to clean up. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
        process = null;
    }

    /** A clean stop (SIGTERM to the JVM), waiting for it to exit. */
    public void stop(Duration timeout) throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> null).join();
        }
        process = null;
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String log() {
        try {
            Path log = home.resolve("data/log/karaf.log");
            return Files.exists(log) ? Files.readString(log) : "(no karaf.log)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The size of karaf.log now, in bytes (0 while there is none): a mark for {@link #logSince}. */
    public long logMark() throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /**
     * What karaf.log gained after {@code mark} ({@link #logMark}); all of it if the log was rolled over since (it is
     * then shorter than the mark); empty while it cannot be read.
     */
    public String logSince(long mark) {
        Path log = home.resolve("data/log/karaf.log");
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            channel.position(channel.size() >= mark ? mark : 0);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
