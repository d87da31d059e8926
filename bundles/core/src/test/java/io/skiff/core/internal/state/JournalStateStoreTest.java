package io.skiff.core.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.state.StateChange;
import io.skiff.core.internal.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalStateStoreTest {

    record Item(String name, int n) {
    }

    private final ObjectMapper mapper = Json.newObjectMapper();

    @TempDir
    Path dir;

    private JournalStateStore open(int compactEvery) throws IOException {
        return new JournalStateStore(dir, mapper, compactEvery);
    }

    private Path journal() {
        return dir.resolve(JournalStateStore.JOURNAL);
    }

    private List<String> journalLines() throws IOException {
        return Files.readAllLines(journal());
    }

    @Test
    void commitsAreJournaledAndReplayedAfterReopen() throws IOException {
        try (JournalStateStore store = open(0)) {
            store.put("item", "b", new Item("bee", 2));
            store.put("item", "a", new Item("ant", 1));
            store.commit(List.of(StateChange.put("item", "c", new Item("cat", 3)),
                    StateChange.put("other", "x", new Item("x", 9)),
                    StateChange.delete("item", "b")));
            assertEquals(List.of(new Item("ant", 1), new Item("cat", 3)), store.list("item", Item.class));
        }
        List<String> lines = journalLines();
        assertEquals(3, lines.size(), "one line per commit");
        JsonNode last = mapper.readTree(lines.get(2));
        assertEquals(3, last.get("seq").asLong());
        assertTrue(last.get("ts").isTextual());
        assertEquals(3, last.get("changes").size());
        assertTrue(last.get("changes").get(2).get("value").isNull(), "a delete is journaled with a null value");

        try (JournalStateStore store = open(0)) {
            assertEquals(3, store.recoveryReport().entriesReplayed());
            assertFalse(store.recoveryReport().torn());
            assertEquals(List.of(new Item("ant", 1), new Item("cat", 3)), store.list("item", Item.class));
            assertEquals(Optional.of(new Item("x", 9)), store.get("other", "x", Item.class));
            assertEquals(Optional.empty(), store.get("item", "b", Item.class));
            assertEquals(Optional.empty(), store.get("nothing", "b", Item.class));
            store.put("item", "d", new Item("dog", 4));
        }
        assertEquals(4, mapper.readTree(journalLines().get(3)).get("seq").asLong(), "seq continues after reopen");
    }

    @Test
    void compactionWritesSnapshotsAndResetsTheJournal() throws IOException {
        try (JournalStateStore store = open(0)) {
            for (int i = 0; i < 10; i++) {
                store.put("item", "i" + i, new Item("n" + i, i));
            }
            store.put("pool", "p", new Item("pool", 0));
            store.delete("item", "i3");
            store.compact();

            assertEquals(0, Files.size(journal()), "fresh journal after compaction");
            JsonNode snapshot = mapper.readTree(dir.resolve("snapshot-item.json").toFile());
            assertEquals(12, snapshot.get("seq").asLong());
            assertEquals(9, snapshot.get("records").size());
            assertTrue(Files.exists(dir.resolve("snapshot-pool.json")));

            store.put("item", "i3", new Item("again", 33));
            store.delete("pool", "p");
            assertEquals(2, journalLines().size(), "entries after compaction go to the new journal");
        }
        try (JournalStateStore store = open(0)) {
            RecoveryReport report = store.recoveryReport();
            assertEquals(2, report.snapshotsLoaded());
            assertEquals(2, report.entriesReplayed());
            assertEquals(14, report.lastSeq());
            List<Item> items = store.list("item", Item.class);
            assertEquals(10, items.size());
            assertEquals(Optional.of(new Item("again", 33)), store.get("item", "i3", Item.class));
            assertEquals(List.of(), store.list("pool", Item.class));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void compactionRunsOnItsOwnAtTheThreshold() throws IOException {
        try (JournalStateStore store = open(5)) {
            for (int i = 0; i < 12; i++) {
                store.put("item", "i" + i, new Item("n", i));
            }
            assertTrue(Files.exists(dir.resolve("snapshot-item.json")));
            assertEquals(2, journalLines().size(), "compacted at 5 and 10, two entries since");
        }
        try (JournalStateStore store = open(5)) {
            assertEquals(12, store.list("item", Item.class).size());
            assertEquals(2, store.recoveryReport().entriesReplayed());
        }
    }

    @Test
    void compactionInterruptedBeforeTheJournalResetReplaysNothingTwice() throws IOException {
        Path saved = dir.resolveSibling(dir.getFileName() + "-journal-copy");
        try (JournalStateStore store = open(0)) {
            store.put("item", "a", new Item("a", 1));
            store.put("item", "b", new Item("b", 2));
            store.delete("item", "a");
            Files.copy(journal(), saved);
            store.compact();
        }
        // as if the Core stopped after writing the snapshots but before replacing the journal
        Files.copy(saved, journal(), StandardCopyOption.REPLACE_EXISTING);
        try (JournalStateStore store = open(0)) {
            assertEquals(3, store.recoveryReport().entriesSkipped());
            assertEquals(0, store.recoveryReport().entriesReplayed());
            assertEquals(List.of(new Item("b", 2)), store.list("item", Item.class));
            store.put("item", "c", new Item("c", 3));
        }
        try (JournalStateStore store = open(0)) {
            assertEquals(List.of(new Item("b", 2), new Item("c", 3)), store.list("item", Item.class));
        }
        Files.delete(saved);
    }

    @Test
    void tornLastLineIsDroppedReportedAndTheStoreGoesOn() throws IOException {
        try (JournalStateStore store = open(0)) {
            store.put("item", "a", new Item("a", 1));
            store.put("item", "b", new Item("b", 2));
        }
        long goodSize = Files.size(journal());
        byte[] partial = "{\"seq\":3,\"ts\":\"2024-01-01T00:00:00Z\",\"changes\":[{\"type\":\"item\",\"id\":\"c\",\"va"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(journal(), partial, StandardOpenOption.APPEND);

        try (JournalStateStore store = open(0)) {
            RecoveryReport report = store.recoveryReport();
            assertTrue(report.torn());
            assertEquals(goodSize, report.tornOffset());
            assertEquals(partial.length, report.tornBytesDropped());
            assertEquals(2, report.entriesReplayed());
            assertEquals(goodSize, Files.size(journal()), "torn bytes are cut away");
            assertEquals(List.of(new Item("a", 1), new Item("b", 2)), store.list("item", Item.class));
            store.put("item", "c", new Item("c", 3));
        }
        try (JournalStateStore store = open(0)) {
            assertFalse(store.recoveryReport().torn());
            assertEquals(3, store.list("item", Item.class).size());
        }
    }

    @Test
    void unparseableButTerminatedLastLineIsAlsoTorn() throws IOException {
        try (JournalStateStore store = open(0)) {
            store.put("item", "a", new Item("a", 1));
        }
        Files.write(journal(), new byte[] {0, 0, 0, 0, '\n'}, StandardOpenOption.APPEND);
        try (JournalStateStore store = open(0)) {
            assertTrue(store.recoveryReport().torn());
            assertEquals(5, store.recoveryReport().tornBytesDropped());
            assertEquals(1, store.list("item", Item.class).size());
        }
    }

    @Test
    void corruptLineInTheMiddleFailsTheStartClearly() throws IOException {
        try (JournalStateStore store = open(0)) {
            store.put("item", "a", new Item("a", 1));
            store.put("item", "b", new Item("b", 2));
            store.put("item", "c", new Item("c", 3));
        }
        List<String> lines = journalLines();
        long secondLineOffset = lines.get(0).getBytes(StandardCharsets.UTF_8).length + 1;
        lines.set(1, lines.get(1).substring(0, 20) + "#garbage#");
        Files.write(journal(), lines);
        byte[] before = Files.readAllBytes(journal());

        JournalCorruptedException e = assertThrows(JournalCorruptedException.class, () -> open(0));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset " + secondLineOffset), e.getMessage());
        assertTrue(e.getMessage().contains("Refusing to start"), e.getMessage());
        assertEquals(new String(before, StandardCharsets.UTF_8),
                new String(Files.readAllBytes(journal()), StandardCharsets.UTF_8), "a corrupt journal is not touched");
    }

    @Test
    void concurrentCommitsFromEightThreadsAreAllKept() throws Exception {
        int threads = 8;
        int perThread = 200;
        runConcurrently(open(0), threads, perThread, true);
        try (JournalStateStore store = open(0)) {
            assertEquals(threads * perThread, store.list("item", Item.class).size());
            assertEquals(threads * perThread, store.recoveryReport().lastSeq());
            for (int t = 0; t < threads; t++) {
                assertEquals(Optional.of(new Item("t" + t, perThread - 1)),
                        store.get("last", "t" + t, Item.class), "per-thread order kept");
            }
        }
    }

    @Test
    void concurrentCommitsSurviveCompactionsInBetween() throws Exception {
        int threads = 8;
        int perThread = 100;
        runConcurrently(open(37), threads, perThread, true);
        assertTrue(Files.exists(dir.resolve("snapshot-item.json")));
        try (JournalStateStore store = open(37)) {
            assertEquals(threads * perThread, store.list("item", Item.class).size());
            assertEquals(threads * perThread, store.recoveryReport().lastSeq());
        }
    }

    private void runConcurrently(JournalStateStore store, int threads, int perThread, boolean close)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        store.commit(List.of(StateChange.put("item", "t" + thread + "-" + i, new Item("x", i)),
                                StateChange.put("last", "t" + thread, new Item("t" + thread, i))));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, store.list("item", Item.class).size(), "visible before reopen");
        } finally {
            pool.shutdownNow();
            if (close) {
                store.close();
            }
        }
    }

    @Test
    void anInterruptedCallerNeitherBreaksTheJournalNorLosesItsCommit() throws IOException {
        try (JournalStateStore store = open(0)) {
            Thread.currentThread().interrupt();
            try {
                store.put("item", "a", new Item("a", 1));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            }
            store.put("item", "b", new Item("b", 2));
        }
        try (JournalStateStore store = open(0)) {
            assertEquals(List.of(new Item("a", 1), new Item("b", 2)), store.list("item", Item.class));
        }
    }

    @Test
    void asynchronousCommitsCompleteOnceDurableAndVisibleInOrder() throws Exception {
        int commits = 500;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        try (JournalStateStore store = open(0)) {
            for (int i = 0; i < commits; i++) {
                acks.add(store.commitAsync(List.of(StateChange.put("item", String.format("i%04d", i),
                        new Item("x", i)), StateChange.put("last", "one", new Item("last", i)))).toCompletableFuture());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertEquals(commits, store.list("item", Item.class).size(), "visible once acknowledged");
        }
        try (JournalStateStore store = open(0)) {
            assertEquals(commits, store.recoveryReport().lastSeq(), "one journal entry per commit");
            assertEquals(Optional.of(new Item("last", commits - 1)), store.get("last", "one", Item.class),
                    "applied in the order they were asked for");
        }
    }

    @Test
    void asynchronousCommitsAreRefusedAsFailedStages() throws IOException {
        JournalStateStore store = open(0);
        CompletableFuture<Void> invalid = store.commitAsync(List.of(StateChange.put("bad type", "a",
                new Item("a", 1)))).toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> invalid.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("invalid state type"), e.getCause().toString());
        store.close();
        CompletableFuture<Void> closed = store.commitAsync(List.of(StateChange.put("item", "a", new Item("a", 1))))
                .toCompletableFuture();
        e = assertThrows(ExecutionException.class, () -> closed.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().toString());
    }

    @Test
    void closedStoreRefusesCommits() throws IOException {
        JournalStateStore store = open(0);
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.put("item", "a", new Item("a", 1)));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void typeNamesMustBeSafeFileNames() throws IOException {
        try (JournalStateStore store = open(0)) {
            assertThrows(IllegalArgumentException.class, () -> store.put("../etc", "a", new Item("a", 1)));
            assertThrows(IllegalArgumentException.class, () -> store.put("item", "", new Item("a", 1)));
            assertEquals(0, Files.size(journal()), "nothing journaled for a rejected commit");
        }
    }
}
