package io.skiff.core.internal.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The files of a {@link JournalStateStore} and how they are written and read: journal entries (one JSON line each:
 * {@code seq}, {@code ts}, {@code changes}), per-type snapshots ({@code seq} and {@code records}), durable atomic
 * writes (temp file, fsync, rename, fsync of the directory), and the replay of a journal at start-up, which cuts a
 * torn last line away and refuses anything unreadable before it.
 */
final class JournalFiles {
    static final String JOURNAL = "journal.jsonl";
    static final String SNAPSHOT_PREFIX = "snapshot-";
    static final String SNAPSHOT_SUFFIX = ".json";
    static final String TMP_SUFFIX = ".tmp";
    private static final Logger LOG = LoggerFactory.getLogger(JournalFiles.class);

    private JournalFiles() {
    }

    /** One change of an entry: a record put ({@code value}) or deleted ({@code value == null}). */
    record Change(String type, String id, JsonNode value) {
    }

    record Entry(long seq, List<Change> changes) {
    }

    /** A type's snapshot: the seq it holds everything up to, and the records. */
    record Snapshot(long seq, NavigableMap<String, JsonNode> records) {
    }

    /** What a replay found: entries applied and skipped (already in a snapshot), the torn tail cut away, last seq. */
    record Replay(long replayed, long skipped, long tornOffset, long tornBytes, long lastSeq) {
    }

    static byte[] entryLine(ObjectMapper mapper, long seq, Instant ts, List<Change> changes)
            throws JsonProcessingException {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("seq", seq);
        entry.put("ts", ts.toString());
        ArrayNode array = entry.putArray("changes");
        for (Change change : changes) {
            ObjectNode item = array.addObject();
            item.put("type", change.type());
            item.put("id", change.id());
            item.set("value", change.value() == null ? NullNode.getInstance() : change.value());
        }
        byte[] json = mapper.writeValueAsBytes(entry);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }

    static Path snapshotPath(Path dir, String type) {
        return dir.resolve(SNAPSHOT_PREFIX + type + SNAPSHOT_SUFFIX);
    }

    static void writeAtomically(Path dir, Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
    }

    static void forceDirectory(Path dir) throws IOException {
        // makes the renames durable; a directory opens for reading on Linux and macOS
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteLeftoverTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path file : files) {
                LOG.warn("deleting {} left by an interrupted write", file);
                Files.delete(file);
            }
        }
    }

    /** @return every type's snapshot in {@code dir} */
    static Map<String, Snapshot> readSnapshots(Path dir, ObjectMapper mapper) throws IOException {
        Map<String, Snapshot> snapshots = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SNAPSHOT_PREFIX + "*" + SNAPSHOT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String type = name.substring(SNAPSHOT_PREFIX.length(), name.length() - SNAPSHOT_SUFFIX.length());
                JsonNode snapshot;
                try {
                    snapshot = mapper.readTree(file.toFile());
                } catch (IOException e) {
                    throw new JournalCorruptedException("snapshot " + file + " cannot be read: " + e.getMessage()
                            + ". Snapshots are written atomically, so this is damage, not an interrupted write. "
                            + "Refusing to start.", e);
                }
                if (snapshot == null || !snapshot.path("seq").canConvertToLong()
                        || !snapshot.path("records").isObject()) {
                    throw new JournalCorruptedException("snapshot " + file + " lacks 'seq' or 'records'. "
                            + "Refusing to start.");
                }
                NavigableMap<String, JsonNode> records = new TreeMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = snapshot.get("records").fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    records.put(field.getKey(), field.getValue());
                }
                snapshots.put(type, new Snapshot(snapshot.get("seq").asLong(), records));
            }
        }
        return snapshots;
    }

    /**
     * Replays a journal: each change newer than its type's snapshot goes to {@code apply}, in order. A last line
     * that cannot be read (a crash while appending it, so never acknowledged) is cut from the file.
     *
     * @param snapshotSeqs each type's snapshot seq
     * @param lastSeq the highest snapshot seq (the last seq when the journal is empty)
     * @throws JournalCorruptedException when a line before the last cannot be read, or seqs do not ascend
     */
    static Replay replay(Path journal, ObjectMapper mapper, Map<String, Long> snapshotSeqs, long lastSeq,
                         Consumer<Change> apply) throws IOException {
        long replayed = 0;
        long skipped = 0;
        long tornOffset = -1;
        long tornBytes = 0;
        long last = lastSeq;
        long previousEntrySeq = 0;
        long fileSize = Files.size(journal);

        try (InputStream in = Files.newInputStream(journal)) {
            LineReader reader = new LineReader(in);
            long lineNo = 0;
            for (Line line = reader.next(); line != null; line = reader.next()) {
                lineNo++;
                boolean isLast = line.offset + line.bytes.length + (line.terminated ? 1 : 0) >= fileSize;
                Entry entry = null;
                String problem;
                if (!line.terminated) {
                    problem = "line has no end (write interrupted)";
                } else {
                    try {
                        entry = parseEntry(mapper, line.bytes);
                        problem = null;
                    } catch (IOException | RuntimeException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    if (isLast) {
                        tornOffset = line.offset;
                        tornBytes = fileSize - line.offset;
                        LOG.warn("journal {}: torn last line at byte offset {} ({} bytes, {}) dropped; it was never "
                                + "acknowledged", journal, tornOffset, tornBytes, problem);
                        break;
                    }
                    throw new JournalCorruptedException("journal " + journal + " is corrupt at line " + lineNo
                            + " (byte offset " + line.offset + "): " + problem + "; more entries follow, so this is "
                            + "not a torn last write. Refusing to start: restore the file or repair it by hand.");
                }
                if (entry.seq() <= previousEntrySeq) {
                    throw new JournalCorruptedException("journal " + journal + " is corrupt at line " + lineNo
                            + " (byte offset " + line.offset + "): seq " + entry.seq() + " does not follow "
                            + previousEntrySeq + ". Refusing to start.");
                }
                previousEntrySeq = entry.seq();
                boolean appliedAny = false;
                for (Change change : entry.changes()) {
                    if (entry.seq() > snapshotSeqs.getOrDefault(change.type(), 0L)) {
                        apply.accept(change);
                        appliedAny = true;
                    }
                }
                if (appliedAny) {
                    replayed++;
                } else {
                    skipped++;
                }
                last = Math.max(last, entry.seq());
            }
        }
        if (tornOffset >= 0) {
            try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                channel.truncate(tornOffset);
                channel.force(true);
            }
        }
        return new Replay(replayed, skipped, tornOffset, tornBytes, last);
    }

    static Entry parseEntry(ObjectMapper mapper, byte[] bytes) throws IOException {
        JsonNode node = mapper.readTree(bytes);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        JsonNode seq = node.get("seq");
        if (seq == null || !seq.isIntegralNumber()) {
            throw new IOException("missing or invalid 'seq'");
        }
        JsonNode changes = node.get("changes");
        if (changes == null || !changes.isArray()) {
            throw new IOException("missing 'changes' array");
        }
        List<Change> result = new ArrayList<>(changes.size());
        for (JsonNode change : changes) {
            JsonNode type = change.get("type");
            JsonNode id = change.get("id");
            if (type == null || !type.isTextual() || id == null || !id.isTextual()) {
                throw new IOException("change without textual 'type' and 'id'");
            }
            JsonNode value = change.get("value");
            result.add(new Change(type.asText(), id.asText(),
                    value == null || value.getNodeType() == JsonNodeType.NULL ? null : value));
        }
        return new Entry(seq.asLong(), result);
    }

    private record Line(long offset, byte[] bytes, boolean terminated) {
    }

    /** Splits a stream into '\n'-terminated lines, keeping each line's byte offset. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
        private int pos;
        private int limit;
        private long offset;

        LineReader(InputStream in) {
            this.in = in;
        }

        Line next() throws IOException {
            long start = offset;
            current.reset();
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return current.size() == 0 ? null : new Line(start, current.toByteArray(), false);
                    }
                }
                int from = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                current.write(buffer, from, pos - from);
                offset += pos - from;
                if (pos < limit) {
                    pos++;
                    offset++;
                    return new Line(start, current.toByteArray(), true);
                }
            }
        }
    }
}
