package io.skiff.auth.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.OperationQuery;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static List<String> resources(List<OperationRecord> records) {
        return records.stream().map(OperationRecord::resource).toList();
    }
}
