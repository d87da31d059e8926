package io.skiff.auth.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.OperationQuery;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileOperationLogTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static OperationRecord entry(Instant t, String user, String resource, String outcome) {
        return new OperationRecord(t, user, "127.0.0.1", "rest", "POST /instances", resource, outcome, 202, null, null);
    }

    @Test
    void queriesFilterByTimeUserResourceAndOutcomeNewestFirst() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        log.record(entry(T0, "alice", "instances/a1", "success"));
        log.record(entry(T0.plusSeconds(60), "bob", "instances/b1", "denied"));
        log.record(entry(T0.plusSeconds(120), "alice", "instances/a2", "failed"));
        assertEquals(List.of("instances/a2", "instances/b1", "instances/a1"), resources(log.query(
                new OperationQuery(null, null, null, null, null, 0))));
        assertEquals(List.of("instances/a2", "instances/a1"), resources(log.query(
                new OperationQuery(null, null, "alice", null, null, 0))));
        assertEquals(List.of("instances/b1"), resources(log.query(
                new OperationQuery(null, null, null, null, "denied", 0))));
        assertEquals(List.of("instances/a2"), resources(log.query(
                new OperationQuery(null, null, null, "a2", null, 0))));
        assertEquals(List.of("instances/b1"), resources(log.query(
                new OperationQuery(T0.plusSeconds(30), T0.plusSeconds(120), null, null, null, 0))));
        assertEquals(List.of("instances/a2"), resources(log.query(new OperationQuery(null, null, null, null, null, 1))));
        log.close();
    }

    @Test
    void survivesATornLastLineAndAppendsAfterARestart() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        log.record(entry(T0, "alice", "instances/a1", "success"));
        log.close();
        Files.writeString(file, "{\"time\":\"2026-11-01T10:0", StandardOpenOption.APPEND);
        FileOperationLog again = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        again.record(entry(T0.plusSeconds(1), "bob", "instances/b1", "success"));
        assertEquals(List.of("instances/a1"), resources(again.query(new OperationQuery(null, null, "alice", null, null, 0))));
        again.close();
    }

    /** Concurrent entries share fsyncs; every one is in the file, whole, when its call returns. */
    @Test
    void concurrentEntriesAreAllWrittenWhole() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 10_000, Clock.systemUTC(), false);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    log.record(entry(T0.plusMillis(i), "user-" + thread, "instances/" + thread + "-" + i, "success"));
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        threads.shutdown();
        assertEquals(400, Files.readAllLines(file).size());
        assertEquals(400, log.query(new OperationQuery(null, null, null, null, null, 0)).size(), "every line parses");
        assertEquals(50, log.query(new OperationQuery(null, null, "user-3", null, null, 0)).size());
        log.close();
    }

    @Test
    void retentionDropsOldEntries() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        log.record(entry(T0.minus(Duration.ofDays(40)), "old", "instances/x", "success"));
        log.record(entry(T0.minus(Duration.ofDays(1)), "new", "instances/y", "success"));
        log.close();
        FileOperationLog pruned = new FileOperationLog(file, 30, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        assertEquals(List.of("instances/y"), resources(pruned.query(new OperationQuery(null, null, null, null, null, 0))));
        pruned.record(entry(T0, "later", "instances/z", "success"));
        assertEquals(2, pruned.query(new OperationQuery(null, null, null, null, null, 0)).size());
        pruned.close();
    }

    /** A walk of the pages meets every entry once while entries are written between the pages. */
    @Test
    void pagesWalkTheLogOnceWhileEntriesAreWritten() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            log.record(entry(T0, "alice", "instances/a" + i, "success")); // one instant: only the numbers order them
            written.add("instances/a" + i);
        }
        OperationQuery all = new OperationQuery(null, null, null, null, null, 0);
        List<String> newestFirst = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<OperationRecord> page = log.page(all, new PageRequest(10, cursor, null, true));
            assertEquals(25 + 3 * pages, page.total(), "the count includes what was written meanwhile");
            newestFirst.addAll(resources(page.items()));
            cursor = page.nextCursor();
            for (int i = 0; i < 3; i++) {
                log.record(entry(T0, "bob", "instances/later-" + pages + "-" + i, "success"));
            }
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(reversed(written), newestFirst, "newer entries are ahead of a newest-first walk");

        List<String> oldestFirst = new ArrayList<>();
        cursor = null;
        do {
            Page<OperationRecord> page = log.page(all, new PageRequest(7, cursor, "time", false));
            assertNull(page.total());
            oldestFirst.addAll(resources(page.items()));
            cursor = page.nextCursor();
            if (cursor != null) {
                log.record(entry(T0, "carol", "instances/tail-" + oldestFirst.size(), "success"));
            }
        } while (cursor != null);
        assertEquals(oldestFirst.size(), new java.util.HashSet<>(oldestFirst).size(), "no entry twice");
        assertEquals(reversed(resources(log.query(all))), oldestFirst, "an oldest-first walk reaches what is "
                + "written meanwhile, in order");

        Page<OperationRecord> alices = log.page(new OperationQuery(null, null, "alice", null, null, 0),
                new PageRequest(20, null, null, true));
        assertEquals(25, alices.total());
        assertEquals(reversed(written).subList(0, 20), resources(alices.items()));
        assertEquals(List.of("instances/a4", "instances/a3", "instances/a2", "instances/a1", "instances/a0"),
                resources(log.page(new OperationQuery(null, null, "alice", null, null, 0),
                        new PageRequest(20, alices.nextCursor(), null, false)).items()));
        log.close();
    }

    @Test
    void refusesCursorsItDidNotGiveOutAndUnknownSorts() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        for (int i = 0; i < 3; i++) {
            log.record(entry(T0, "alice", "instances/a" + i, "success"));
        }
        OperationQuery all = new OperationQuery(null, null, null, null, null, 0);
        String newestFirst = log.page(all, new PageRequest(1, null, null, false)).nextCursor();
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> log.page(all, new PageRequest(1, "not-a-cursor", null, false))).field());
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> log.page(all, new PageRequest(1, newestFirst, "time", false))).field(), "another sort's cursor");
        assertEquals("sort", assertThrows(SkiffException.class,
                () -> log.page(all, new PageRequest(1, null, "user", false))).field());
        String negative = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "-time\nkey\n-5".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> log.page(all, new PageRequest(1, negative, null, false))).field(), "a number no entry has");
        log.close();
    }

    /** A log written before entries were numbered is numbered once, in its order, at start. */
    @Test
    void numbersEntriesWrittenBeforeNumbering() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        Files.writeString(file, """
                {"time":"2026-11-01T10:00:00Z","user":"alice","address":"ssh","source":"shell","action":"a","resource":"r1","outcome":"success","status":0}
                {"time":"2026-11-01T10:00:00Z","user":"alice","address":"ssh","source":"shell","action":"a","resource":"r2","outcome":"success","status":0}
                """);
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        log.record(entry(T0, "bob", "r3", "success"));
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).startsWith("{\"seq\":" + (i + 1) + ","), lines.get(i));
        }
        OperationQuery all = new OperationQuery(null, null, null, null, null, 0);
        Page<OperationRecord> first = log.page(all, new PageRequest(2, null, null, false));
        assertEquals(List.of("r3", "r2"), resources(first.items()));
        assertEquals(List.of("r1"), resources(log.page(all, new PageRequest(2, first.nextCursor(), null, false)).items()));
        log.close();
    }

    /** Every entry older than the retention: the newest stays, and numbers go on from it after the restart. */
    @Test
    void numbersGoOnWhenEveryEntryIsOlderThanTheRetention() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 0, 100, Clock.systemUTC(), false);
        for (int i = 0; i < 3; i++) {
            log.record(entry(T0.minus(Duration.ofDays(50 - i)), "old", "instances/x" + i, "success"));
        }
        log.close();
        FileOperationLog pruned = new FileOperationLog(file, 30, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        OperationQuery all = new OperationQuery(null, null, null, null, null, 0);
        assertEquals(List.of("instances/x2"), resources(pruned.query(all)), "the newest stays");
        pruned.record(entry(T0, "later", "instances/z", "success"));
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("{\"seq\":3,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("{\"seq\":4,"), lines.get(1));
        assertEquals(4L, FileOperationLog.seqOf(lines.get(1)));
        assertEquals(0L, FileOperationLog.seqOf("{\"time\":\"2026-11-01T10:00:00Z\"}"));
        pruned.close();
    }

    /** A numbered log within the retention and whole is not rewritten at start: its ends say so. */
    @Test
    void aSettledLogIsReadAtItsEndsOnlyAndNotRewritten() throws Exception {
        Path file = Files.createTempDirectory("oplog").resolve("log.jsonl");
        FileOperationLog log = new FileOperationLog(file, 30, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        for (int i = 0; i < 5; i++) {
            log.record(entry(T0.minusSeconds(10 - i), "alice", "instances/a" + i, "success"));
        }
        log.close();
        // a middle line no parser could read: only a full pass would notice (and drop) it
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, "{\"seq\":3,\"time\":");
        Files.write(file, lines);
        java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileOperationLog again = new FileOperationLog(file, 30, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        assertEquals(key, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "not replaced by a rewrite");
        assertEquals(before, Files.getLastModifiedTime(file));
        again.record(entry(T0, "bob", "instances/b", "success"));
        assertTrue(Files.readAllLines(file).get(5).startsWith("{\"seq\":6,"), "numbering goes on from the last line");
        again.close();
        // a torn last line: the whole file is read and rewritten
        Files.writeString(file, "{\"seq\":7,\"ti", StandardOpenOption.APPEND);
        FileOperationLog mended = new FileOperationLog(file, 30, 100, Clock.fixed(T0, ZoneOffset.UTC), false);
        assertEquals(5, Files.readAllLines(file).size(), "the torn and the unreadable line dropped");
        mended.close();
    }

    /** {@link io.skiff.api.service.OperationLog#page}'s default: the first page of the query, nothing more. */
    @Test
    void theDefaultPageIsTheFirstPageOfTheQuery() {
        List<OperationRecord> newestFirst = List.of(entry(T0.plusSeconds(2), "a", "r3", "success"),
                entry(T0.plusSeconds(1), "a", "r2", "success"), entry(T0, "a", "r1", "success"));
        io.skiff.api.service.OperationLog plain = new io.skiff.api.service.OperationLog() {
            @Override
            public void record(OperationRecord entry) {
            }

            @Override
            public List<OperationRecord> query(OperationQuery q) {
                return q.limit() <= 0 ? newestFirst : newestFirst.subList(0, Math.min(q.limit(), 3));
            }
        };
        OperationQuery all = new OperationQuery(null, null, null, null, null, 0);
        Page<OperationRecord> page = plain.page(all, new PageRequest(2, null, null, true));
        assertEquals(List.of("r3", "r2"), resources(page.items()));
        assertNull(page.nextCursor());
        assertEquals(3, page.total());
        assertNull(plain.page(all, new PageRequest(2, null, "-time", false)).total());
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> plain.page(all, new PageRequest(2, "abc", null, false))).field());
        assertEquals("sort", assertThrows(SkiffException.class,
                () -> plain.page(all, new PageRequest(2, null, "time", false))).field());
    }

    private static List<String> reversed(List<String> items) {
        List<String> copy = new ArrayList<>(items);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static List<String> resources(List<OperationRecord> records) {
        return records.stream().map(OperationRecord::resource).toList();
    }
}
