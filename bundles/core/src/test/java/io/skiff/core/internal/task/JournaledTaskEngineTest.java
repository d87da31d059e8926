package io.skiff.core.internal.task;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.TaskEngineFixture.TestStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.skiff.core.internal.task.TaskEngineFixture.FAST_RETRIES;
import static io.skiff.core.internal.task.TaskEngineFixture.WAIT_SECONDS;
import static io.skiff.core.internal.task.TaskEngineFixture.await;
import static io.skiff.core.internal.task.TaskEngineFixture.handler;
import static io.skiff.core.internal.task.TaskEngineFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournaledTaskEngineTest {

    @RegisterExtension
    final TaskEngineFixture engines = new TaskEngineFixture();

    private final List<String> log = new CopyOnWriteArrayList<>();

    private JournaledTaskEngine engine(JournalStateStore store, int threads, int retain, UndoHandler... handlers) {
        return engines.engine(store, threads, retain, FAST_RETRIES, handlers);
    }

    private JournaledTaskEngine engine(int threads) throws IOException {
        return engine(engines.openStore(), threads, 1000);
    }

    /** A step that logs what it does and records its own name, so its undo can be traced to its data. */
    private TaskStep logging(String name) {
        return new TestStep(name, "kind-" + name, ctx -> {
            ctx.record("took", name);
            log.add("apply " + name);
        }, ctx -> log.add("undo " + name + " " + ctx.data()));
    }

    @Test
    void stepsRunInOrderAndProgressReaches100() throws Exception {
        JournalStateStore store = engines.openStore();
        JournaledTaskEngine engine = engine(store, 2, 1000);
        AtomicInteger progressSeenInStep = new AtomicInteger(-1);
        String[] id = new String[1];
        TaskStep halfway = new TestStep("s2", "k", ctx -> {
            ctx.progress(50, "copying image");
            TaskInfo now = engine.get(ctx.taskId()).orElseThrow();
            progressSeenInStep.set(now.progress());
            assertEquals("copying image", now.message());
            log.add("apply s2");
        }, ctx -> { });
        TaskInfo queued = engine.submit(request("instance.create", Set.of("instance:a"),
                logging("s1"), halfway, logging("s3"), logging("s4")));
        id[0] = queued.id();
        assertEquals(TaskState.QUEUED, queued.state());
        assertEquals(4, queued.steps().size());
        assertTrue(queued.steps().stream().allMatch(s -> s.state() == StepState.PENDING));

        TaskInfo done = await(engine, queued.id());
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals(100, done.progress());
        assertEquals((100 + 50) / 4, progressSeenInStep.get(), "completed steps plus the step's own progress");
        assertEquals(List.of("apply s1", "apply s2", "apply s3", "apply s4"), log);
        assertNotNull(done.startedAt());
        assertNotNull(done.finishedAt());
        assertTrue(!done.createdAt().isAfter(done.startedAt()) && done.startedAt().isBefore(done.finishedAt()));
        assertTrue(done.steps().stream().allMatch(s -> s.state() == StepState.APPLIED));
        assertEquals(Map.of("took", "s1"), done.steps().get(0).data());
        assertEquals(done, store.get(JournaledTaskEngine.STATE_TYPE, done.id(), TaskInfo.class).orElseThrow(),
                "the final state is journaled");
        assertEquals(done, engine.get(done.id()).orElseThrow());
    }

    @Test
    void failureUndoesAppliedStepsAndTheFailingOneInReverse() throws Exception {
        JournaledTaskEngine engine = engine(2);
        TaskStep failing = new TestStep("attach disk", "disk", ctx -> {
            ctx.record("partial", "/dev/vdb");
            log.add("apply attach disk");
            throw new IllegalStateException("no free slot");
        }, ctx -> log.add("undo attach disk " + ctx.data()));
        TaskStep never = new TestStep("start", "domain", ctx -> log.add("apply start"), ctx -> log.add("undo start"));

        TaskInfo done = await(engine, engine.submit(request("instance.create", Set.of("instance:b"),
                logging("volume"), logging("address"), failing, never)).id());

        assertEquals(List.of("apply volume", "apply address", "apply attach disk",
                "undo attach disk {partial=/dev/vdb}", "undo address {took=address}", "undo volume {took=volume}"),
                log);
        assertEquals(TaskState.FAILED, done.state());
        assertEquals("step 3/4 'attach disk' failed: IllegalStateException: no free slot", done.error());
        assertEquals(List.of(StepState.UNDONE, StepState.UNDONE, StepState.UNDONE, StepState.PENDING),
                done.steps().stream().map(StepInfo::state).toList());
        assertNotNull(done.finishedAt());
    }

    @Test
    void anUndoThatKeepsFailingEndsRollbackFailedAndLeavesEarlierStepsInPlace() throws Exception {
        JournaledTaskEngine engine = engine(2);
        TaskStep stubborn = new TestStep("address", "address", ctx -> log.add("apply address"), ctx -> {
            throw new java.io.IOException("dnsmasq unreachable");
        });
        TaskStep failing = new TestStep("domain", "domain", ctx -> {
            throw new RuntimeException("libvirt said no");
        }, ctx -> log.add("undo domain"));

        TaskInfo done = await(engine, engine.submit(request("instance.create", Set.of(),
                logging("volume"), stubborn, failing)).id());

        assertEquals(TaskState.ROLLBACK_FAILED, done.state());
        assertEquals(List.of(StepState.APPLIED, StepState.UNDO_FAILED, StepState.UNDONE),
                done.steps().stream().map(StepInfo::state).toList());
        assertTrue(done.error().startsWith("step 3/3 'domain' failed: RuntimeException: libvirt said no"),
                done.error());
        assertTrue(done.error().contains("undo of step 2 'address' failed: IOException: dnsmasq unreachable"),
                done.error());
        assertTrue(done.error().endsWith("left in place: step 2 'address', step 1 'volume' {took=volume}"),
                done.error());
        assertEquals("3", done.steps().get(1).data().get(JournaledTaskEngine.UNDO_ATTEMPTS),
                "a failure that waiting cannot cure gets three attempts");
        assertTrue(done.message().startsWith("rollback failed"), done.message());
        assertEquals(List.of("apply volume", "apply address", "undo domain"), log,
                "earlier steps stay as they are: undone out of order, they could lose track of what is taken");
    }

    @Test
    void independentTasksRunConcurrently() throws Exception {
        int tasks = 4;
        JournaledTaskEngine engine = engine(tasks);
        CountDownLatch allInside = new CountDownLatch(tasks);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            TaskStep rendezvous = new TestStep("meet", "none", ctx -> {
                allInside.countDown();
                // only possible if all tasks are inside their step at the same time
                if (!allInside.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("tasks did not overlap");
                }
            }, ctx -> { });
            ids.add(engine.submit(request("t" + i, Set.of("instance:" + i), rendezvous)).id());
        }
        for (String id : ids) {
            assertEquals(TaskState.SUCCEEDED, await(engine, id).state());
        }
    }

    @Test
    void tasksOnTheSameResourceRunOneAfterTheOtherInSubmissionOrder() throws Exception {
        JournaledTaskEngine engine = engine(8);
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            TaskStep step = new TestStep("work", "none", ctx -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                if (n == 0) {
                    firstInside.countDown();
                    releaseFirst.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                running.decrementAndGet();
            }, ctx -> { });
            ids.add(engine.submit(request("t" + n, Set.of("instance:web"), step)).id());
            if (i == 0) {
                assertTrue(firstInside.await(WAIT_SECONDS, TimeUnit.SECONDS));
            }
        }
        // another resource is not held up by the blocked one
        String other = engine.submit(request("other", Set.of("instance:db"), logging("db"))).id();
        assertEquals(TaskState.SUCCEEDED, await(engine, other).state());
        assertEquals(List.of(0), order, "the others wait for the first");
        assertEquals(TaskState.QUEUED, engine.get(ids.get(1)).orElseThrow().state());

        releaseFirst.countDown();
        for (String id : ids) {
            assertEquals(TaskState.SUCCEEDED, await(engine, id).state());
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5), order);
        assertEquals(1, maxRunning.get());
    }

    @Test
    void multiKeyTasksKeepPerKeyOrderWithoutDeadlock() throws Exception {
        JournaledTaskEngine engine = engine(8);
        Random random = new Random(42);
        List<String> keys = List.of("k0", "k1", "k2", "k3", "k4");
        Map<String, String> holders = new ConcurrentHashMap<>();
        Map<String, List<Integer>> startedPerKey = new ConcurrentHashMap<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        Map<Integer, Set<String>> keysOfTask = new HashMap<>();
        List<String> ids = new ArrayList<>();

        for (int n = 0; n < 200; n++) {
            Set<String> mine = new LinkedHashSet<>();
            int count = 1 + random.nextInt(3);
            while (mine.size() < count) {
                mine.add(keys.get(random.nextInt(keys.size())));
            }
            keysOfTask.put(n, mine);
            int task = n;
            TaskStep step = new TestStep("hold", "none", ctx -> {
                for (String key : mine) {
                    String other = holders.putIfAbsent(key, ctx.taskId());
                    if (other != null) {
                        violations.add("task " + task + " entered " + key + " held by " + other);
                    }
                    startedPerKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(task);
                }
                Thread.yield();
                for (String key : mine) {
                    holders.remove(key, ctx.taskId());
                }
            }, ctx -> { });
            ids.add(engine.submit(request("t" + n, mine, step)).id());
        }
        for (String id : ids) {
            assertEquals(TaskState.SUCCEEDED, await(engine, id).state());
        }
        assertEquals(List.of(), violations);
        for (String key : keys) {
            List<Integer> expected = keysOfTask.entrySet().stream().filter(e -> e.getValue().contains(key))
                    .map(Map.Entry::getKey).sorted().toList();
            assertEquals(expected, startedPerKey.getOrDefault(key, List.of()), "submission order on " + key);
        }
    }

    @Test
    void crashMidTaskIsRolledBackAtRestartWithTheUndoHandlers() throws Exception {
        JournalStateStore store1 = engines.openStore();
        JournaledTaskEngine engine1 = engine(store1, 2, 1000);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> liveUndo = new CopyOnWriteArrayList<>();

        TaskStep volume = new TestStep("create volume", "volume", ctx -> ctx.record("path", "/pool/v1.qcow2"),
                ctx -> liveUndo.add("volume"));
        TaskStep address = new TestStep("reserve address", "address", ctx -> {
            ctx.record("ip", "10.0.0.5");
            inStep.countDown();
            release.await();
        }, ctx -> liveUndo.add("address"));
        TaskStep domain = new TestStep("define domain", "domain", ctx -> log.add("apply domain"),
                ctx -> liveUndo.add("domain"));
        String id = engine1.submit(request("instance.create", Set.of("instance:web"), volume, address, domain)).id();
        String queuedBehind = engine1.submit(request("instance.start", Set.of("instance:web"),
                logging("never runs"))).id();
        CompletableFuture<TaskInfo> firstRun = engine1.completion(id);
        assertTrue(inStep.await(WAIT_SECONDS, TimeUnit.SECONDS));

        // the Core "crashes": its journal goes away while the task is inside step 2
        store1.close();

        JournalStateStore store2 = engines.openStore();
        UndoHandler volumes = handler("volume", ctx -> log.add("undo volume " + ctx.data().get("path")));
        UndoHandler addresses = handler("address", ctx -> log.add("undo address " + ctx.data().get("ip")));
        JournaledTaskEngine engine2 = engine(store2, 2, 1000, volumes, addresses);
        String afterRestart = engine2.submit(request("instance.delete", Set.of("instance:web"),
                logging("after restart"))).id();

        TaskInfo rolledBack = await(engine2, id);
        assertEquals(TaskState.FAILED, rolledBack.state());
        assertEquals(JournaledTaskEngine.RESTART_ERROR, rolledBack.error());
        assertEquals(List.of(StepState.UNDONE, StepState.UNDONE, StepState.PENDING),
                rolledBack.steps().stream().map(StepInfo::state).toList());
        assertNotNull(rolledBack.finishedAt());

        TaskInfo neverStarted = await(engine2, queuedBehind);
        assertEquals(TaskState.FAILED, neverStarted.state());
        assertEquals(JournaledTaskEngine.RESTART_ERROR, neverStarted.error());
        assertEquals(TaskState.SUCCEEDED, await(engine2, afterRestart).state());
        assertEquals(List.of("undo address 10.0.0.5", "undo volume /pool/v1.qcow2", "apply after restart"), log,
                "reverse order, from the journaled data, before the next task on the resource");

        // the first engine wakes up after the "crash": it cannot journal, so it must not act any more
        release.countDown();
        ExecutionException abandoned = assertThrows(ExecutionException.class,
                () -> firstRun.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(abandoned.getCause().getMessage().contains("journal"), abandoned.getCause().toString());
        engine1.close(Duration.ofSeconds(WAIT_SECONDS));
        assertEquals(List.of(), liveUndo);
        assertFalse(log.contains("apply domain"));
        assertEquals(rolledBack, engine2.get(id).orElseThrow());
    }

    @Test
    void restartWithoutAnUndoHandlerEndsRollbackFailed() throws Exception {
        JournalStateStore store1 = engines.openStore();
        JournaledTaskEngine engine1 = engine(store1, 1, 1000);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskStep volume = new TestStep("create volume", "volume", ctx -> ctx.record("path", "/v2"), ctx -> { });
        TaskStep port = new TestStep("open port", "port", ctx -> {
            ctx.record("port", "5901");
            inStep.countDown();
            release.await();
        }, ctx -> { });
        String id = engine1.submit(request("instance.create", Set.of(), volume, port)).id();
        assertTrue(inStep.await(WAIT_SECONDS, TimeUnit.SECONDS));
        store1.close();

        JournaledTaskEngine engine2 = engine(engines.openStore(), 1, 1000,
                handler("volume", ctx -> log.add("undo volume " + ctx.data().get("path"))));
        TaskInfo done = await(engine2, id);

        assertEquals(TaskState.ROLLBACK_FAILED, done.state());
        assertEquals(List.of(StepState.APPLIED, StepState.UNDO_FAILED),
                done.steps().stream().map(StepInfo::state).toList());
        assertTrue(done.error().startsWith(JournaledTaskEngine.RESTART_ERROR), done.error());
        assertTrue(done.error().contains("no undo handler registered for step kind 'port'"), done.error());
        assertEquals("5901", done.steps().get(1).data().get("port"), "what was taken stays visible");
        assertTrue(done.error().contains("step 2 'open port' {port=5901}"), done.error());
        assertEquals(List.of(), log, "nothing is undone out of order");
        release.countDown();
        engine1.close(Duration.ofSeconds(WAIT_SECONDS));
    }

    @Test
    void oldestFinishedTasksBeyondRetentionAreDropped() throws Exception {
        JournalStateStore store = engines.openStore();
        JournaledTaskEngine engine = engine(store, 2, 3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = engine.submit(request("t" + i, Set.of("r"), logging("s" + i))).id();
            await(engine, id);
            ids.add(id);
        }
        List<String> listed = engine.list().stream().map(TaskInfo::id).toList();
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), listed, "newest first, oldest two dropped");
        assertTrue(store.get(JournaledTaskEngine.STATE_TYPE, ids.get(0), TaskInfo.class).isEmpty());
        assertTrue(engine.get(ids.get(1)).isEmpty());
        assertEquals(TaskState.SUCCEEDED, await(engine, ids.get(2)).state(), "completion of a finished task");
    }

    @Test
    void unknownTasksAndStoppedEnginesAnswerClearly() throws Exception {
        JournaledTaskEngine engine = engine(1);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.completion("nope").get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof NoSuchElementException);
        assertTrue(engine.get("nope").isEmpty());
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.submit(request("late", Set.of())));
    }

    @Test
    void tasksWithoutStepsSucceed() throws Exception {
        JournaledTaskEngine engine = engine(1);
        TaskInfo done = await(engine, engine.submit(request("noop", null)).id());
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals(100, done.progress());
        assertEquals(List.of(), done.resources());
    }

    @SuppressWarnings("unused")
    private static String states(TaskInfo info) {
        return info.steps().stream().map(s -> s.state().name()).collect(Collectors.joining(","));
    }
}
