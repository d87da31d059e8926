package io.skiff.core.internal.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skiff.api.state.StateChange;
import io.skiff.api.model.Timings;
import io.skiff.api.state.StateStore;
import io.skiff.core.internal.TimingHistogram;
import io.skiff.core.internal.state.JournalFiles.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;

/**
 * The Core's state: in memory, every commit appended to {@code journal.jsonl} as one JSON line and forced to disk
 * before it is applied in memory and acknowledged; compacted into per-type {@code snapshot-<type>.json} files
 * written atomically (temp file, fsync, rename, fsync of the directory).
 *
 * <p>One writer thread owned by the store does all journal I/O. Concurrent commits queue up and are written as
 * one batch (one write, one force), then applied in memory in journal order; a commit returns only once its line,
 * and every line before it, is on disk and visible. Callers' interrupts never reach the file channel.
 *
 * <p>Opening the store loads the snapshots and replays the journal entries newer than each type's snapshot. A torn
 * last line (a crash while appending an entry that was never acknowledged) is cut away and reported in
 * {@link #recoveryReport()}; anything unreadable before the last line is corruption and fails the start with a
 * {@link JournalCorruptedException}. The files' format, atomic writes and the replay are {@link JournalFiles}'s.
 */
public final class JournalStateStore implements StateStore, AutoCloseable {

    static final String JOURNAL = JournalFiles.JOURNAL;
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Logger LOG = LoggerFactory.getLogger(JournalStateStore.class);

    private final Path dir;
    private final Path journalPath;
    private final ObjectMapper mapper;
    private final int compactEvery;
    private final Clock clock;
    private final RecoveryReport recoveryReport;

    /** The records: type, then id in order. Guarded by {@link #memoryLock}. */
    private final Map<String, NavigableMap<String, JsonNode>> types = new HashMap<>();
    private final ReadWriteLock memoryLock = new ReentrantReadWriteLock();

    /** Requests waiting for the writer thread. Guarded by itself. */
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    /** Set (under {@link #queue}) by {@link #close()}; no request is accepted afterwards. */
    private boolean closed;
    private final Thread writer;
    /** how long each group commit's fsync took */
    private final TimingHistogram syncs = TimingHistogram.fast();

    // touched only by the writer thread once it runs (and by the constructor before it starts)
    private FileChannel journal;
    private long lastSeq;
    private long entriesSinceCompaction;
    /** Set once an I/O error leaves the journal in an unknown state; every later commit is refused. */
    private volatile Throwable failure;

    /**
     * Opens (or creates) the store in {@code dir}, loading snapshots and replaying the journal.
     *
     * @param dir the data directory, created if missing
     * @param mapper maps values to JSON and back
     * @param compactEvery compact after this many journal entries; 0 or less never compacts on its own
     * @throws JournalCorruptedException when a snapshot or a journal line before the last cannot be read
     * @throws IOException when the directory cannot be read or written
     */
    public JournalStateStore(Path dir, ObjectMapper mapper, int compactEvery) throws IOException {
        this(dir, mapper, compactEvery, Clock.systemUTC());
    }

    /** As {@link #JournalStateStore(Path, ObjectMapper, int)}, with the clock that stamps journal entries. */
    public JournalStateStore(Path dir, ObjectMapper mapper, int compactEvery, Clock clock) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.compactEvery = compactEvery;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journalPath = dir.resolve(JOURNAL);
        Files.createDirectories(dir);
        JournalFiles.deleteLeftoverTempFiles(dir);
        this.recoveryReport = recover();
        this.writer = new Thread(this::writeLoop, "skiff-journal-" + dir.getFileName());
        this.writer.setDaemon(true);
        this.writer.start();
        LOG.info("state store opened in {}: {} snapshot(s), {} journal entries replayed, last seq {}{}", dir,
                recoveryReport.snapshotsLoaded(), recoveryReport.entriesReplayed(), recoveryReport.lastSeq(),
                recoveryReport.torn() ? ", torn last line dropped (" + recoveryReport.tornBytesDropped()
                        + " bytes at offset " + recoveryReport.tornOffset() + ")" : "");
    }

    /** @return what was found when the store was opened */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /** @return the data directory */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<Timings> syncTimings() {
        return Optional.of(syncs.timings());
    }

    @Override
    public void commit(List<StateChange> changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            return;
        }
        Request request = submit(new Request(prepareAll(changes)));
        if (request.error != null) {
            throw notAcknowledged(request.error);
        }
    }

    /**
     * Queues the changes for the writer thread and returns at once; the stage completes on the writer thread once
     * they are on disk and applied in memory (every entry before them too).
     */
    @Override
    public CompletionStage<Void> commitAsync(List<StateChange> changes) {
        Objects.requireNonNull(changes, "changes");
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            Request request = new Request(prepareAll(changes));
            enqueue(request);
            return request.acknowledged.handle((v, error) -> {
                if (error != null) {
                    throw notAcknowledged(error);
                }
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<Change> prepareAll(List<StateChange> changes) {
        List<Change> prepared = new ArrayList<>(changes.size());
        for (StateChange change : changes) {
            prepared.add(prepare(change));
        }
        return prepared;
    }

    private static IllegalStateException notAcknowledged(Throwable error) {
        return new IllegalStateException("state commit not acknowledged: " + error, error);
    }

    @Override
    public <T> Optional<T> get(String type, String id, Class<T> cls) {
        JsonNode node;
        memoryLock.readLock().lock();
        try {
            NavigableMap<String, JsonNode> records = types.get(type);
            node = records == null ? null : records.get(id);
        } finally {
            memoryLock.readLock().unlock();
        }
        return node == null ? Optional.empty() : Optional.of(convert(node, cls, type, id));
    }

    @Override
    public <T> List<T> list(String type, Class<T> cls) {
        List<Map.Entry<String, JsonNode>> nodes;
        memoryLock.readLock().lock();
        try {
            NavigableMap<String, JsonNode> records = types.get(type);
            nodes = records == null ? List.of() : new ArrayList<>(records.entrySet());
        } finally {
            memoryLock.readLock().unlock();
        }
        List<T> result = new ArrayList<>(nodes.size());
        for (Map.Entry<String, JsonNode> entry : nodes) {
            result.add(convert(entry.getValue(), cls, type, entry.getKey()));
        }
        return result;
    }

    /**
     * Writes every type to its snapshot file and starts an empty journal. Runs on its own every
     * {@code compactEvery} entries; commits wait while it runs.
     *
     * @throws IOException when a snapshot or the new journal cannot be written; the old journal then stays valid
     */
    public void compact() throws IOException {
        Request request = submit(new Request(null));
        if (request.error instanceof IOException e) {
            throw e;
        }
        if (request.error != null) {
            throw new IllegalStateException("compaction failed: " + request.error, request.error);
        }
    }

    /** Writes what is queued, then closes the journal. Later commits fail. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.notifyAll();
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warn("closing journal {} failed", journalPath, e);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("state store in {} closed", dir);
    }

    // ---- commit path ------------------------------------------------------------------------------------------

    private Change prepare(StateChange change) {
        Objects.requireNonNull(change, "change");
        String type = change.type();
        if (type == null || !TYPE_NAME.matcher(type).matches()) {
            throw new IllegalArgumentException("invalid state type '" + type + "': letters, digits, '.', '_', '-'");
        }
        if (change.id() == null || change.id().isEmpty()) {
            throw new IllegalArgumentException("missing id for state type '" + type + "'");
        }
        JsonNode value;
        if (change.value() == null) {
            value = null;
        } else if (change.value() instanceof JsonNode node) {
            value = node.deepCopy();
        } else {
            value = mapper.valueToTree(change.value());
        }
        return new Change(type, change.id(), value);
    }

    /** Hands a request to the writer thread and waits for it, without letting an interrupt cut the wait short. */
    private Request submit(Request request) {
        enqueue(request);
        try {
            // join() is not cut short by an interrupt (it keeps it for the caller): the writer alone decides
            request.acknowledged.join();
        } catch (CompletionException | CancellationException e) {
            // the outcome is in request.error
        }
        return request;
    }

    private void enqueue(Request request) {
        synchronized (queue) {
            if (closed) {
                throw new IllegalStateException("state store in " + dir + " is closed");
            }
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("state store in " + dir + " failed earlier and accepts no commits: "
                        + f, f);
            }
            queue.addLast(request);
            queue.notifyAll();
        }
    }

    /**
     * The only thread that touches the journal file. Doing all I/O here keeps it away from callers' interrupts,
     * which would close a {@link FileChannel} under everyone's feet, and groups concurrent commits into one write
     * and one force.
     */
    private void writeLoop() {
        while (true) {
            List<Request> batch;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        // nobody interrupts this thread on purpose; keep serving until closed
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = new ArrayList<>(queue);
                queue.clear();
            }
            try {
                process(batch);
            } catch (RuntimeException | Error e) {
                fail(e);
                for (Request request : batch) {
                    request.finish(e);
                }
            }
        }
    }

    private void process(List<Request> batch) {
        List<Request> commits = new ArrayList<>(batch.size());
        boolean compactionAsked = false;
        for (Request request : batch) {
            if (request.changes == null) {
                compactionAsked = true;
            } else {
                commits.add(request);
            }
        }
        writeCommits(commits);
        boolean due = compactEvery > 0 && entriesSinceCompaction >= compactEvery;
        if (!compactionAsked && !due) {
            return;
        }
        Throwable compactionError = null;
        if (failure != null) {
            compactionError = new IllegalStateException("state store failed earlier", failure);
        } else {
            try {
                compactNow();
            } catch (IOException | RuntimeException e) {
                // the commits themselves are durable in the journal; compaction is tried again at the next threshold
                LOG.error("compaction of state store {} failed; the journal keeps growing", dir, e);
                entriesSinceCompaction = 0;
                compactionError = e;
            }
        }
        for (Request request : batch) {
            if (request.changes == null) {
                request.finish(compactionError);
            }
        }
    }

    /** Appends the batch as one write, forces it, then applies it in memory and acknowledges it, in order. */
    private void writeCommits(List<Request> commits) {
        if (commits.isEmpty()) {
            return;
        }
        if (failure != null) {
            IllegalStateException refused = new IllegalStateException("state store failed earlier", failure);
            for (Request request : commits) {
                request.finish(refused);
            }
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream(commits.size() * 256);
        long seq = lastSeq;
        for (Request request : commits) {
            try {
                lines.write(JournalFiles.entryLine(mapper, ++seq, clock.instant(), request.changes));
            } catch (IOException | RuntimeException e) {
                // cannot happen for a ByteArrayOutputStream and trees built by prepare(); refuse this one only
                seq--;
                request.finish(e);
                request.changes = List.of();
            }
        }
        try {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
            long forcing = System.nanoTime();
            journal.force(false);
            syncs.record(System.nanoTime() - forcing);
        } catch (IOException | RuntimeException e) {
            fail(e);
            for (Request request : commits) {
                request.finish(e);
            }
            return;
        }
        lastSeq = seq;
        memoryLock.writeLock().lock();
        try {
            for (Request request : commits) {
                for (Change change : request.changes) {
                    applyOne(change);
                }
            }
        } finally {
            memoryLock.writeLock().unlock();
        }
        for (Request request : commits) {
            if (!request.changes.isEmpty()) {
                entriesSinceCompaction++;
                request.finish(null);
            }
        }
    }

    private void applyOne(Change change) {
        if (change.value() == null) {
            NavigableMap<String, JsonNode> records = types.get(change.type());
            if (records != null) {
                records.remove(change.id());
            }
        } else {
            types.computeIfAbsent(change.type(), t -> new TreeMap<>()).put(change.id(), change.value());
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
            LOG.error("state store in {} failed; refusing further commits until restarted", dir, e);
        }
    }

    private <T> T convert(JsonNode node, Class<T> cls, String type, String id) {
        try {
            return mapper.treeToValue(node, cls);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("state " + type + "/" + id + " cannot be read as " + cls.getName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    // ---- compaction (writer thread) ---------------------------------------------------------------------------

    private void compactNow() throws IOException {
        long seq = lastSeq;
        Map<String, ObjectNode> snapshots = new TreeMap<>();
        memoryLock.readLock().lock();
        try {
            for (Map.Entry<String, NavigableMap<String, JsonNode>> type : types.entrySet()) {
                ObjectNode snapshot = mapper.createObjectNode();
                snapshot.put("seq", seq);
                ObjectNode records = snapshot.putObject("records");
                type.getValue().forEach(records::set);
                snapshots.put(type.getKey(), snapshot);
            }
        } finally {
            memoryLock.readLock().unlock();
        }
        for (Map.Entry<String, ObjectNode> snapshot : snapshots.entrySet()) {
            JournalFiles.writeAtomically(dir, JournalFiles.snapshotPath(dir, snapshot.getKey()),
                    mapper.writeValueAsBytes(snapshot.getValue()));
        }
        // every snapshot now holds seq; should we stop before the journal is replaced, the per-type seqs make the
        // next start skip the entries already in the snapshots
        Path tmp = dir.resolve(JOURNAL + JournalFiles.TMP_SUFFIX);
        FileChannel fresh = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            fresh.force(true);
            Files.move(tmp, journalPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            JournalFiles.forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        FileChannel old = journal;
        journal = fresh;
        try {
            old.close();
        } catch (IOException e) {
            LOG.warn("closing the old journal failed", e);
        }
        entriesSinceCompaction = 0;
        LOG.info("state store {} compacted at seq {} into {} snapshot file(s)", dir, seq, snapshots.size());
    }

    // ---- start-up ---------------------------------------------------------------------------------------------

    private RecoveryReport recover() throws IOException {
        Map<String, Long> snapshotSeqs = new HashMap<>();
        JournalFiles.readSnapshots(dir, mapper).forEach((type, snapshot) -> {
            types.put(type, snapshot.records());
            snapshotSeqs.put(type, snapshot.seq());
        });
        long maxSnapshotSeq = snapshotSeqs.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (!Files.exists(journalPath)) {
            JournalFiles.writeAtomically(dir, journalPath, new byte[0]);
        }
        JournalFiles.Replay replay = JournalFiles.replay(journalPath, mapper, snapshotSeqs, maxSnapshotSeq,
                this::applyOne);
        journal = FileChannel.open(journalPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        journal.position(journal.size());
        lastSeq = replay.lastSeq();
        entriesSinceCompaction = replay.replayed() + replay.skipped();
        return new RecoveryReport(snapshotSeqs.size(), replay.replayed(), replay.skipped(), replay.tornOffset(),
                replay.tornBytes(), replay.lastSeq());
    }

    // ---- small types ------------------------------------------------------------------------------------------

    /** A commit (or, with no changes, a compaction) for the writer thread. */
    private static final class Request {
        /** The changes, or {@code null} for a compaction. Replaced only by the writer thread. */
        List<Change> changes;
        /** Completed by the writer thread once the request is done, exceptionally with {@link #error}. */
        final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        /** Written by the writer thread before {@link #acknowledged} completes. */
        Throwable error;

        Request(List<Change> changes) {
            this.changes = changes;
        }

        void finish(Throwable failure) {
            if (!acknowledged.isDone()) {
                error = failure;
                if (failure == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(failure);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "JournalStateStore[" + dir + "]";
    }
}
