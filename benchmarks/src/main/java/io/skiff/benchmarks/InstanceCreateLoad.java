package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.api.model.TaskState;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Instance creates through REST as a client makes them: {@code POST /api/v1/instances} (1 core, 64 MiB, one empty
 * 1 GiB disk, no image, {@code linux-virtio}, as {@link ScaleSimulation} creates them) from C connections at once,
 * each answered 202 with its task; then the wait until every task has ended.
 *
 * <p>The Core keeps only the last {@code retainFinished} (1,000) finished tasks, so the outcome is not read task by
 * task: the wait counts the unfinished create tasks ({@code GET /tasks?name=instance.create&state=...&total=true},
 * every 200 ms), and the outcome counts the instances named by this load ({@code namePrefix}): a create that failed
 * has rolled back and left none. The failed tasks still retained give the first errors.
 */
final class InstanceCreateLoad {
    private static final List<TaskState> UNFINISHED = List.of(TaskState.QUEUED, TaskState.RUNNING,
            TaskState.ROLLING_BACK);
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * What a load did.
     *
     * @param posted POSTs sent
     * @param accepted POSTs answered 202
     * @param created instances of this load that exist at the end (a failed create leaves none)
     * @param running of those, the ones the Core reports RUNNING
     * @param unfinished create tasks not ended when the load stopped waiting (after its time-out)
     * @param wallSeconds from the first POST to the first poll that saw no create task unfinished (± 0.2 s)
     * @param posts the POSTs' latencies, their calls/s over the time from the first POST to the last answer
     * @param errors the first refused POSTs and failed tasks
     */
    record Result(int posted, int accepted, long created, long running, long unfinished, double wallSeconds,
                  RestSession.Timing posts, List<String> errors) {

        long refused() {
            return posted - accepted;
        }

        /** Accepted creates that left no instance: their task failed (and rolled back). */
        long failed() {
            return Math.max(0, accepted - created);
        }

        double instancesPerSecond() {
            return wallSeconds == 0 ? 0 : created / wallSeconds;
        }

        boolean clean() {
            return refused() == 0 && failed() == 0 && unfinished == 0 && running == created;
        }
    }

    private final RestSession rest;
    private final String pool;
    private final String namePrefix;
    private final int count;
    private final int clients;
    private final Duration timeout;
    private final PrintStream log;

    /**
     * @param namePrefix the instances are named this plus a six-digit number; no other instance may start with it
     */
    InstanceCreateLoad(RestSession rest, String pool, String namePrefix, int count, int clients, Duration timeout,
                       PrintStream log) {
        this.rest = rest;
        this.pool = pool;
        this.namePrefix = namePrefix;
        this.count = count;
        this.clients = clients;
        this.timeout = timeout;
        this.log = log;
    }

    /** The body of one create. */
    Map<String, Object> body(int i) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", String.format(Locale.ROOT, "%s%06d", namePrefix, i));
        body.put("poolId", pool);
        body.put("cores", 1);
        body.put("memoryBytes", 64 * ScaleSimulation.MIB);
        body.put("disks", List.of(Map.of("sizeBytes", ScaleSimulation.GIB)));
        body.put("profile", "linux-virtio");
        // with the host; a create always starts the instance
        body.put("autoStart", false);
        return body;
    }

    Result run() throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong lastAnswer = new AtomicLong();
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long[] bytes = new long[1];
        ExecutorService pool = Executors.newFixedThreadPool(clients, ScaleSimulation.daemon("rest-create"));
        long start = System.nanoTime();
        List<Future<?>> posting = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                posting.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        RestSession.Answer answer = rest.send("POST", "/instances", body(i));
                        millis.add((System.nanoTime() - t) / 1e6);
                        lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                        bytes[0] = answer.body().length();
                        if (answer.status() == 202) {
                            accepted.incrementAndGet();
                        } else if (errors.size() < 5) {
                            errors.add("POST /instances " + body(i).get("name") + ": " + answer.status() + " "
                                    + answer.body());
                        }
                    }
                    return null;
                }));
            }
            long end = awaitTasks(posting, deadline, start, next, accepted);
            long unfinished = unfinished();
            int posted = millis.size();
            double postSeconds = (Math.max(lastAnswer.get(), start) - start) / 1e9;
            RestSession.Timing posts = new RestSession.Timing("POST /instances, " + clients + " clients", posted,
                    postSeconds, List.copyOf(millis), bytes[0]);
            errors.addAll(failedTasks());
            String named = "/instances?namePrefix=" + namePrefix + "&limit=1&total=true";
            return new Result(posted, accepted.get(), rest.count(named), rest.count(named + "&state=RUNNING"),
                    unfinished, (end - start) / 1e9, posts, List.copyOf(errors));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls until every POST is answered and no create task is unfinished; returns when (nanos). */
    private long awaitTasks(List<Future<?>> posting, long deadline, long start, AtomicInteger next,
                            AtomicInteger accepted) throws Exception {
        long lastPrint = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean posted = posting.stream().allMatch(Future::isDone);
            long unfinished = unfinished();
            long now = System.nanoTime();
            if (posted && unfinished == 0) {
                for (Future<?> f : posting) {
                    f.get(); // a client that threw (not a refused POST: an I/O error) ends the run here
                }
                return now;
            }
            if (now - lastPrint > TimeUnit.SECONDS.toNanos(10)) {
                log.printf(Locale.ROOT, "  %5.0f s: %d POSTed, %d accepted, ~%d create tasks unfinished%n",
                        (now - start) / 1e9, Math.min(next.get(), count), accepted.get(), unfinished);
                lastPrint = now;
            }
            Thread.sleep(POLL.toMillis());
        }
        log.println("  time-out of " + timeout.toMinutes() + " min reached; stopping");
        return System.nanoTime();
    }

    /**
     * Create tasks not ended: three counts, one per state, in the order a task passes them. A task that moves on
     * between two counts is counted twice, never missed, so the sum may be too high while tasks run (the progress
     * line) but is 0 only when every task has ended.
     */
    private long unfinished() throws Exception {
        long n = 0;
        for (TaskState state : UNFINISHED) {
            n += rest.count("/tasks?name=instance.create&state=" + state + "&limit=1&total=true");
        }
        return n;
    }

    /** The first failed create tasks still retained, with their errors. */
    private List<String> failedTasks() throws Exception {
        List<String> failed = new ArrayList<>();
        for (TaskState state : List.of(TaskState.FAILED, TaskState.ROLLBACK_FAILED)) {
            for (JsonNode task : rest.getJson("/tasks?name=instance.create&state=" + state + "&limit=5")) {
                failed.add("task " + task.path("id").asText() + " " + state + ": " + task.path("error").toString());
            }
        }
        return failed;
    }
}
