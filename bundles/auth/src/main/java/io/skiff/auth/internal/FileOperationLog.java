package io.skiff.auth.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The operation log as a JSON-lines file, appended and fsynced before a call returns (concurrent calls share
 * fsyncs). Queries scan the file (it holds
 * one line per state-changing call, which stays small for a single-admin cloud); entries older than the
 * retention are dropped at start and every hour by rewriting the file atomically (temp file, fsync, rename).
 */
@Component(service = OperationLog.class, immediate = true, configurationPid = "io.skiff.oplog")
@Designate(ocd = OperationLogConfig.class)
public class FileOperationLog implements OperationLog {
    private static final Logger LOG = LoggerFactory.getLogger(FileOperationLog.class);
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Path file;
    private final int retentionDays;
    private final int maxResults;
    private final Clock clock;
    private final ScheduledExecutorService pruner;
    private FileChannel channel;
    /** Entries appended since start (under this object's monitor) and how many of them are forced to disk. */
    private long appended;
    private final Object forcing = new Object();
    private long forced;

    @Activate
    public FileOperationLog(OperationLogConfig config) throws IOException {
        this(config.file().isBlank()
                        ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "operation-log.jsonl")
                        : Path.of(config.file()),
                config.retentionDays(), config.maxResults(), Clock.systemUTC(), true);
    }

    FileOperationLog(Path file, int retentionDays, int maxResults, Clock clock, boolean schedule) throws IOException {
        this.file = file;
        this.retentionDays = retentionDays;
        this.maxResults = maxResults;
        this.clock = clock;
        Files.createDirectories(file.getParent());
        prune();
        open();
        if (schedule) {
            pruner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "skiff-oplog-retention");
                t.setDaemon(true);
                return t;
            });
            pruner.scheduleWithFixedDelay(() -> {
                try {
                    prune();
                } catch (Exception e) {
                    LOG.warn("operation log retention failed: {}", e.toString());
                }
            }, 1, 1, TimeUnit.HOURS);
        } else {
            pruner = null;
        }
    }

    private synchronized void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Deactivate
    public synchronized void close() throws IOException {
        if (pruner != null) {
            pruner.shutdownNow();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * Appends the entry and returns once it is on disk. Concurrent calls share fsyncs (group commit): each appends
     * under this object's monitor, then one of them at a time forces everything appended so far while the others
     * append; a call whose entry a force already covered returns without one.
     */
    @Override
    public void record(OperationRecord entry) {
        long mine;
        try {
            byte[] line = (mapper.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                mine = ++appended;
            }
            synchronized (forcing) {
                if (forced >= mine) {
                    return;
                }
                long upTo;
                FileChannel appendedTo;
                synchronized (this) {
                    upTo = appended;
                    appendedTo = channel;
                }
                try {
                    appendedTo.force(false);
                } catch (ClosedChannelException e) {
                    synchronized (this) {
                        if (channel == appendedTo || channel == null || !channel.isOpen()) {
                            throw e; // closed, not replaced by a prune (which forces what it rewrites)
                        }
                    }
                }
                forced = upTo;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to the operation log " + file, e);
        }
    }

    @Override
    public List<OperationRecord> query(OperationQuery q) {
        int limit = q.limit() <= 0 ? maxResults : Math.min(q.limit(), maxResults);
        Deque<OperationRecord> newest = new ArrayDeque<>();
        synchronized (this) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    OperationRecord r = parse(line);
                    if (r != null && matches(r, q)) {
                        newest.addFirst(r);
                        if (newest.size() > limit) {
                            newest.removeLast();
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(newest);
    }

    private OperationRecord parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(line, OperationRecord.class);
        } catch (IOException e) {
            return null; // a torn last line after a crash
        }
    }

    static boolean matches(OperationRecord r, OperationQuery q) {
        return (q.from() == null || !r.time().isBefore(q.from()))
                && (q.to() == null || r.time().isBefore(q.to()))
                && (q.user() == null || q.user().equals(r.user()))
                && (q.outcome() == null || q.outcome().equals(r.outcome()))
                && (q.resource() == null || (r.resource() != null && r.resource().contains(q.resource())));
    }

    /** Drops entries older than the retention by rewriting the file atomically. */
    synchronized void prune() throws IOException {
        if (retentionDays <= 0 || !Files.exists(file)) {
            return;
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(retentionDays));
        List<String> keep = new ArrayList<>();
        boolean dropped = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            OperationRecord r = parse(line);
            if (r != null && r.time() != null && r.time().isBefore(cutoff)) {
                dropped = true;
            } else if (r != null) {
                keep.add(line);
            }
        }
        if (!dropped) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap((String.join("\n", keep) + (keep.isEmpty() ? "" : "\n"))
                    .getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        boolean reopen = channel != null && channel.isOpen();
        if (reopen) {
            channel.close();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (reopen) {
            open();
        }
        LOG.info("operation log: entries older than {} days removed", retentionDays);
    }
}
