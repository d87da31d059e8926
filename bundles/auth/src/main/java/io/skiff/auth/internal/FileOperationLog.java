package io.skiff.auth.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;
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
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The operation log as a JSON-lines file, appended and fsynced before a call returns (concurrent calls share
 * fsyncs). Every line carries a sequence number ({@code seq}, rising in the order of the lines) that page cursors
 * point at. Queries scan the file (it holds one line per state-changing call, which stays small for a single-admin
 * cloud); entries older than the retention are dropped at start and every hour by rewriting the file atomically
 * (temp file, fsync, rename). That rewrite also drops a line torn by a crash and numbers lines written before entries
 * were numbered.
 */
@Component(service = OperationLog.class, immediate = true, configurationPid = "io.skiff.oplog")
@Designate(ocd = OperationLogConfig.class)
public class FileOperationLog implements OperationLog {
    private static final Logger LOG = LoggerFactory.getLogger(FileOperationLog.class);
    private static final String SEQ = "seq";
    /** how every line that {@link #line} writes begins */
    private static final String SEQ_PREFIX = "{\"" + SEQ + "\":";
    /** how much of the file's end {@link #lastLine} reads to find the last line */
    private static final int TAIL_BYTES = 1 << 20;
    /** Pages in the order of the lines; "time" sorts by the sequence number, which rises as entries are written. */
    private static final Pager<Numbered> PAGER = new Pager<>(Numbered::key, "-time", Map.of("time", Numbered::key));
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path file;
    private final int retentionDays;
    private final int maxResults;
    private final Clock clock;
    private final ScheduledExecutorService pruner;
    private FileChannel channel;
    /** The sequence number of the last line (under this object's monitor). */
    private long lastSeq;
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
            ObjectNode fields = mapper.valueToTree(entry);
            synchronized (this) {
                ByteBuffer buffer = ByteBuffer.wrap((line(lastSeq + 1, fields) + "\n").getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                lastSeq++;
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
        scan(n -> {
            if (matches(n.entry(), q)) {
                newest.addFirst(n.entry());
                if (newest.size() > limit) {
                    newest.removeLast();
                }
            }
        });
        return new ArrayList<>(newest);
    }

    /** One pass over the file through a {@link Window}. */
    @Override
    public Page<OperationRecord> page(OperationQuery q, PageRequest request) {
        Pager.Order order = PAGER.order(request.sort());
        Pager.Position after = PAGER.after(request, order);
        Window window = new Window(order.descending(), after == null ? -1 : cursorSeq(after),
                Math.min(request.limit(), maxResults));
        scan(n -> {
            if (matches(n.entry(), q)) {
                window.offer(n);
            }
        });
        List<OperationRecord> items = window.kept.stream().map(Numbered::entry).toList();
        return new Page<>(items, window.more ? PAGER.cursorAfter(order, window.kept.getLast()) : null,
                request.total() ? window.matched : null);
    }

    /**
     * The entries of one page, offered in the order of the file (rising numbers): newest first, it keeps the last
     * {@code limit} before the cursor; oldest first, the first {@code limit} after it. Counts every matching entry.
     */
    private static final class Window {
        private final boolean newestFirst;
        /** the cursor's number, -1 for none */
        private final long cursor;
        private final int limit;
        /** in the page's order */
        private final Deque<Numbered> kept = new ArrayDeque<>();
        private boolean more;
        private int matched;

        Window(boolean newestFirst, long cursor, int limit) {
            this.newestFirst = newestFirst;
            this.cursor = cursor;
            this.limit = limit;
        }

        void offer(Numbered n) {
            matched++;
            if (cursor >= 0 && (newestFirst ? n.seq() >= cursor : n.seq() <= cursor)) {
                return;
            }
            if (newestFirst) {
                kept.addFirst(n);
                if (kept.size() > limit) {
                    kept.removeLast();
                    more = true;
                }
            } else if (kept.size() < limit) {
                kept.addLast(n);
            } else {
                more = true;
            }
        }
    }

    private static long cursorSeq(Pager.Position after) {
        long seq;
        try {
            seq = Long.parseLong(after.id());
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            throw Pager.foreignCursor();
        }
        return seq;
    }

    /**
     * @return the last number, when the first line is numbered and within the retention and the last line is whole
     *     and numbered (0 for an empty file); -1 when the whole file must be read
     */
    private long settledLast(Instant cutoff) throws IOException {
        String first;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = reader.readLine();
        }
        if (first == null) {
            return 0;
        }
        Numbered head = parse(first);
        if (head == null || head.seq() == 0
                || (cutoff != null && head.entry().time() != null && head.entry().time().isBefore(cutoff))) {
            return -1;
        }
        String last = lastLine();
        Numbered tail = last == null ? null : parse(last);
        return tail == null || tail.seq() == 0 ? -1 : tail.seq();
    }

    /** @return the file's last line when it is whole (ends with a line break), else {@code null} */
    private String lastLine() throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            int n = (int) Math.min(size, TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining() && in.read(buffer, size - n + buffer.position()) >= 0) {
                // reads until the tail is in
            }
            String tail = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            if (!tail.endsWith("\n")) {
                return null; // torn by a crash
            }
            int start = tail.lastIndexOf('\n', tail.length() - 2);
            if (start < 0 && n < size) {
                return null; // a line longer than the tail: the whole file will tell
            }
            return tail.substring(start + 1, tail.length() - 1);
        }
    }

    /** Reads every whole line in order, under this object's monitor (appends wait). */
    private synchronized void scan(Consumer<Numbered> each) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                Numbered n = parse(line);
                if (n != null) {
                    each.accept(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a line of the file: the number first, then the entry's fields */
    private String line(long seq, ObjectNode fields) throws IOException {
        ObjectNode line = mapper.createObjectNode().put(SEQ, seq);
        line.setAll(fields);
        return mapper.writeValueAsString(line);
    }

    /**
     * @return the line's entry and number (0 for a line written before entries were numbered), or {@code null}; read
     *     in one pass: the number from the prefix that {@link #line} writes, the entry ignoring it
     */
    private Numbered parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return new Numbered(seqOf(line), mapper.readValue(line, OperationRecord.class));
        } catch (IOException e) {
            return null; // a torn last line after a crash
        }
    }

    /** @return the number at the start of a line ({@code {"seq":N,...}}), 0 when it has none */
    static long seqOf(String line) {
        if (!line.startsWith(SEQ_PREFIX)) {
            return 0;
        }
        long seq = 0;
        for (int i = SEQ_PREFIX.length(); i < line.length() && Character.isDigit(line.charAt(i)); i++) {
            seq = seq * 10 + (line.charAt(i) - '0');
        }
        return seq;
    }

    /** An entry and its sequence number. */
    private record Numbered(long seq, OperationRecord entry) {
        /** The number as a key that orders as text. */
        String key() {
            String digits = Long.toString(seq);
            return "0".repeat(19 - digits.length()) + digits;
        }
    }

    static boolean matches(OperationRecord r, OperationQuery q) {
        return (q.from() == null || !r.time().isBefore(q.from()))
                && (q.to() == null || r.time().isBefore(q.to()))
                && (q.user() == null || q.user().equals(r.user()))
                && (q.outcome() == null || q.outcome().equals(r.outcome()))
                && (q.resource() == null || (r.resource() != null && r.resource().contains(q.resource())));
    }

    /**
     * Drops entries older than the retention, torn lines, and numbers lines that have no number, by rewriting the
     * file atomically when any of that applies; learns the last number. The newest entry stays even when it is older
     * than the retention, so that numbers go on rising after a restart (a cursor handed out before stays valid). When
     * the first line is numbered and within the retention and the last line is whole and numbered, those two lines
     * decide (entries are appended in time order): no rewrite, and the rest of the file is not read.
     */
    synchronized void prune() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Instant cutoff = retentionDays <= 0 ? null : clock.instant().minus(Duration.ofDays(retentionDays));
        long settled = settledLast(cutoff);
        if (settled >= 0) {
            lastSeq = Math.max(lastSeq, settled);
            return;
        }
        List<String> keep = new ArrayList<>();
        int old = 0;
        int torn = 0;
        int numbered = 0;
        long last = 0;
        Numbered newestOld = null;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Numbered n = parse(line);
            if (n == null) {
                torn += line.isBlank() ? 0 : 1;
            } else if (cutoff != null && n.entry().time() != null && n.entry().time().isBefore(cutoff)) {
                old++;
                last = Math.max(last, n.seq());
                newestOld = n;
            } else if (n.seq() > last) {
                last = n.seq();
                keep.add(line);
            } else {
                last++;
                keep.add(line(last, mapper.valueToTree(n.entry())));
                numbered++;
            }
        }
        if (keep.isEmpty() && newestOld != null) {
            // every entry is older than the retention: the newest stays, so that its number carries on
            old--;
            long seq = newestOld.seq() > 0 && newestOld.seq() == last ? last : ++last;
            numbered += seq == newestOld.seq() ? 0 : 1;
            keep.add(line(seq, mapper.valueToTree(newestOld.entry())));
        }
        lastSeq = Math.max(lastSeq, last);
        if (old + torn + numbered == 0) {
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
        LOG.info("operation log rewritten: {} entries older than {} days and {} torn lines removed, {} entries numbered",
                old, retentionDays, torn, numbered);
    }
}
