package io.skiff.cell.internal;

import io.skiff.api.transport.ClusterMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Supplier;

/**
 * When this cell last had the Core: the Core's node name is the sender of its requests and heartbeats. Once the Core
 * has sent a heartbeat ({@code core.alive}, every second), it counts as seen when its last message came: the cluster
 * view can lose the Core seconds later than the Core's view loses this cell (the isolated side needs longer to agree
 * on a view), and self-fencing must not count from that later moment. A Core that sends no heartbeat (an older
 * version) counts as seen while it is in the cluster view; the Core on this very node always does. Both are kept in a small file ({@code <node> <instant>}, written at most once a second
 * while the Core is seen), so a cell that restarts knows since when it has been without the Core rather than counting
 * from its own start: a cell whose process died while the Core was seen reads an older instant, which fences sooner,
 * the safe side. A Core that says it stops on purpose ({@code core.stopping}) counts as seen until it is back (in the
 * view again after it had left, a request from it, or its {@code core.started}): a stopped Core starts nothing
 * elsewhere, and it can fail over a cell only after it has seen the cell again, i.e. after this cell has seen it.
 * That hold is kept in the file too ({@code <node> <instant> stopping}).
 */
final class CoreContact {
    private static final Logger LOG = LoggerFactory.getLogger(CoreContact.class);
    private static final Duration WRITE_EVERY = Duration.ofSeconds(1);

    private final Path file;
    private final Supplier<List<ClusterMember>> members;
    private final Clock clock;
    private volatile String core;
    private volatile Instant lastSeen;
    private volatile boolean stopping;
    /** Whether the Core sends heartbeats: then only its messages count, not its place in the view. */
    private volatile boolean beating;
    private boolean wasInView = true;
    private Instant written = Instant.EPOCH;

    CoreContact(Path file, Supplier<List<ClusterMember>> members, Clock clock) {
        this.file = file;
        this.members = members;
        this.clock = clock;
        read();
    }

    /** A request came from {@code node}: the Core, seen now. */
    void heardFrom(String node) {
        if (node == null) {
            return;
        }
        knowCore(node);
        stopping = false;
        seen(clock.instant());
    }

    /** A heartbeat came from {@code node}, the Core: seen now; from now on only its messages count. */
    void alive(String node) {
        if (node == null) {
            return;
        }
        knowCore(node);
        beating = true;
        seen(clock.instant());
    }

    private synchronized void knowCore(String node) {
        if (!node.equals(core)) {
            LOG.info("the Core is node {}", node);
            core = node;
            beating = false;
        }
    }

    /** The Core said it stops on purpose: its absence does not count until it is back. */
    void coreStopping() {
        LOG.warn("the Core {} stops: no self-fencing until it is back", core);
        stopping = true;
        written = Instant.EPOCH;
        seen(clock.instant());
    }

    /** The Core said it runs: its absence counts again. */
    void coreStarted() {
        stopping = false;
    }

    /**
     * @return when the Core was last seen (its last message, or, for a Core without heartbeats, the cluster view now),
     *     or {@code null} for never
     */
    Instant lastSeen() {
        String name = core;
        List<ClusterMember> view = members.get();
        boolean inView = name != null && view.stream().anyMatch(m -> m.node().equals(name));
        // the Core may be this very node (all-in-one): then it is always seen
        boolean local = name != null && view.stream().anyMatch(m -> m.local() && m.node().equals(name));
        synchronized (this) {
            if (inView && !wasInView && stopping) {
                LOG.info("the Core {} is back: self-fencing counts again", name);
                stopping = false;
            }
            wasInView = inView;
        }
        if (local || stopping || inView && !beating) {
            seen(clock.instant());
        }
        return lastSeen;
    }

    String core() {
        return core;
    }

    private synchronized void seen(Instant now) {
        lastSeen = now;
        if (Duration.between(written, now).compareTo(WRITE_EVERY) >= 0) {
            written = now;
            try {
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, core + " " + now + (stopping ? " stopping" : "") + "\n",
                        StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("{} not written: {}", file, e.toString());
            }
        }
    }

    private void read() {
        try {
            if (Files.exists(file)) {
                String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
                if (parts.length >= 2) {
                    core = parts[0];
                    lastSeen = Instant.parse(parts[1]);
                    stopping = parts.length == 3 && parts[2].equals("stopping");
                }
            }
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("{} not read ({}): the Core counts as never seen", file, e.toString());
        }
    }
}
