package io.skiff.core.internal.task;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.skiff.core.internal.task.TaskEngineFixture.FAST_RETRIES;
import static io.skiff.core.internal.task.TaskEngineFixture.WAIT_SECONDS;
import static io.skiff.core.internal.task.TaskEngineFixture.await;
import static io.skiff.core.internal.task.TaskEngineFixture.handler;
import static io.skiff.core.internal.task.TaskEngineFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steps that work asynchronously ({@link TaskStep#applyAsync} returning a stage completed later): they hold no engine
 * thread, are undone in reverse like any step, keep tasks on one resource in order, time out, and are rolled back
 * after a crash while in flight.
 */
class AsyncStepsTest {

    @RegisterExtension
    final TaskEngineFixture engines = new TaskEngineFixture();

    private final List<String> log = new CopyOnWriteArrayList<>();
    /** The work of each asynchronous step, by step name, completed by the test. */
    private final Map<String, CompletableFuture<Void>> work = new ConcurrentHashMap<>();

    /** A step that records its name, then waits for the test to complete its work; its undo is logged. */
    private TaskStep async(String name) {
        return TaskStep.ofAsync(name, "remote", ctx -> {
            ctx.record("name", name);
            log.add("start " + name);
            return work.computeIfAbsent(name, n -> new CompletableFuture<>());
        }, ctx -> log.add("undo " + ctx.data().get("name")));
    }

    private TaskStep sync(String name) {
        return new TaskEngineFixture.TestStep(name, "local", ctx -> {
            ctx.record("name", name);
            log.add("apply " + name);
        }, ctx -> log.add("undo " + ctx.data().get("name")));
    }

    private CompletableFuture<Void> workOf(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!work.containsKey(name)) {
            assertTrue(System.nanoTime() < deadline, "step " + name + " never started");
            Thread.sleep(5);
        }
        return work.get(name);
    }

    private JournaledTaskEngine engine(int threads) throws IOException {
        return engines.engine(engines.openStore(), threads, 1000, FAST_RETRIES);
    }

    @Test
    void stepsAtWorkHoldNoThread() throws Exception {
        JournaledTaskEngine engine = engine(1);
        int tasks = 50;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            ids.add(engine.submit(request("t" + i, Set.of("instance:" + i), sync("a" + i), async("b" + i),
                    sync("c" + i))).id());
        }
        for (int i = 0; i < tasks; i++) {
            workOf("b" + i);
        }
        assertEquals(tasks, engine.stepsAtWork(), "all 50 at work at once on one engine thread");
        for (int i = tasks - 1; i >= 0; i--) {
            work.get("b" + i).complete(null);
        }
        for (String id : ids) {
            TaskInfo done = await(engine, id);
            assertEquals(TaskState.SUCCEEDED, done.state(), done.toString());
            assertEquals(100, done.progress());
            assertEquals(List.of(StepState.APPLIED, StepState.APPLIED, StepState.APPLIED),
                    done.steps().stream().map(StepInfo::state).toList());
        }
        assertEquals(0, engine.stepsAtWork());
    }

    @Test
    void aStepThatFailsLaterIsUndoneWithTheStepsBeforeItInReverse() throws Exception {
        JournaledTaskEngine engine = engine(2);
        String id = engine.submit(request("create", Set.of("instance:web"), sync("volume"), async("define"),
                sync("start"))).id();
        workOf("define").completeExceptionally(new IllegalStateException("cell said no"));

        TaskInfo failed = await(engine, id);
        assertEquals(TaskState.FAILED, failed.state());
        assertTrue(failed.error().contains("step 2/3 'define' failed") && failed.error().contains("cell said no"),
                failed.error());
        assertEquals(List.of("apply volume", "start define", "undo define", "undo volume"), log);
        assertEquals(List.of(StepState.UNDONE, StepState.UNDONE, StepState.PENDING),
                failed.steps().stream().map(StepInfo::state).toList());
    }

    /** Every step is timed by kind and outcome (for the metrics), the journal's fsyncs too. */
    @Test
    void stepsAndJournalSyncsAreTimed() throws Exception {
        JournalStateStore store = engines.openStore();
        JournaledTaskEngine engine = engines.engine(store, 2, 1000, FAST_RETRIES);
        String ok = engine.submit(request("ok", Set.of("instance:a"), sync("volume"), async("define"))).id();
        workOf("define").complete(null);
        await(engine, ok);
        String no = engine.submit(request("no", Set.of("instance:b"), async("start"))).id();
        workOf("start").completeExceptionally(new IllegalStateException("cell said no"));
        await(engine, no);
        Map<String, io.skiff.api.model.Timings> steps = engine.stepTimings();
        assertEquals(1, steps.get("local/applied").count());
        assertEquals(1, steps.get("remote/applied").count());
        assertEquals(1, steps.get("remote/failed").count());
        assertTrue(store.syncTimings().orElseThrow().count() > 0, "the journal's group commits are timed");
    }

    @Test
    void aTaskOnTheSameResourceWaitsWhileAStepOfTheFirstIsAtWork() throws Exception {
        JournaledTaskEngine engine = engine(4);
        String first = engine.submit(request("create", Set.of("instance:web"), async("define"))).id();
        String second = engine.submit(request("start", Set.of("instance:web"), sync("start"))).id();
        String other = engine.submit(request("other", Set.of("instance:db"), sync("other"))).id();
        workOf("define");
        assertEquals(TaskState.SUCCEEDED, await(engine, other).state(), "another resource is not held up");
        assertEquals(TaskState.QUEUED, engine.get(second).orElseThrow().state());
        assertFalse(log.contains("apply start"));

        workOf("define").complete(null);
        assertEquals(TaskState.SUCCEEDED, await(engine, first).state());
        assertEquals(TaskState.SUCCEEDED, await(engine, second).state());
        assertTrue(log.indexOf("start define") < log.indexOf("apply start"), log.toString());
    }

    @Test
    void aStepThatNeverCompletesTimesOutAndIsUndone() throws Exception {
        JournaledTaskEngine engine = engine(2);
        engine.stepTimeout(Duration.ofMillis(200));
        String id = engine.submit(request("create", Set.of("instance:web"), sync("volume"), async("define"))).id();

        TaskInfo failed = await(engine, id);
        assertEquals(TaskState.FAILED, failed.state());
        assertTrue(failed.error().contains("step 2/2 'define' failed")
                && failed.error().contains("did not complete within 0 s"), failed.error());
        assertEquals(List.of("apply volume", "start define", "undo define", "undo volume"), log);
        assertEquals(0, engine.stepsAtWork());
        assertThrows(IllegalArgumentException.class, () -> engine.stepTimeout(Duration.ZERO));
    }

    @Test
    void aCrashWhileAStepIsAtWorkIsRolledBackAtRestart() throws Exception {
        JournalStateStore store1 = engines.openStore();
        JournaledTaskEngine engine1 = engines.engine(store1, 2, 1000, FAST_RETRIES);
        String id = engine1.submit(request("create", Set.of("instance:web"), sync("volume"), async("define"),
                sync("start"))).id();
        CompletableFuture<TaskInfo> firstRun = engine1.completion(id);
        CompletableFuture<Void> define = workOf("define");
        // the Core "crashes" while the cell defines the domain
        store1.close();

        List<String> undone = new CopyOnWriteArrayList<>();
        UndoHandler remote = handler("remote", ctx -> undone.add("remote " + ctx.data().get("name")));
        UndoHandler local = handler("local", ctx -> undone.add("local " + ctx.data().get("name")));
        JournaledTaskEngine engine2 = engines.engine(engines.openStore(), 2, 1000, FAST_RETRIES, remote, local);
        TaskInfo rolledBack = await(engine2, id);
        assertEquals(TaskState.FAILED, rolledBack.state());
        assertEquals(JournaledTaskEngine.RESTART_ERROR, rolledBack.error());
        assertEquals(List.of("remote define", "local volume"), undone, "the step at work first, from its data");

        // the old engine hears back from the cell: it cannot journal, so it does nothing more
        define.complete(null);
        ExecutionException abandoned = assertThrows(ExecutionException.class,
                () -> firstRun.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(abandoned.getCause().getMessage().contains("journal"), abandoned.getCause().toString());
        engine1.close(Duration.ofSeconds(WAIT_SECONDS));
        assertFalse(log.contains("apply start"));
        assertFalse(log.stream().anyMatch(line -> line.startsWith("undo")), log.toString());
    }

    @Test
    void stoppingWaitsForStepsAtWorkThenLeavesTheTaskToTheRestart() throws Exception {
        JournalStateStore store = engines.openStore();
        JournaledTaskEngine engine = engines.engine(store, 2, 1000, FAST_RETRIES);
        String id = engine.submit(request("create", Set.of("instance:web"), async("define"), sync("start"))).id();
        CompletableFuture<TaskInfo> run = engine.completion(id);
        CompletableFuture<Void> define = workOf("define");
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> define.complete(null));

        engine.close(Duration.ofSeconds(WAIT_SECONDS));
        assertEquals(0, engine.stepsAtWork(), "close waited for the step at work");
        assertThrows(ExecutionException.class, () -> run.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(log.contains("apply start"), "no step starts once the engine stops");
        TaskInfo journaled = store.get(JournaledTaskEngine.STATE_TYPE, id, TaskInfo.class).orElseThrow();
        assertFalse(journaled.state().finished(), "left for the rollback at the next start: " + journaled);
    }
}
