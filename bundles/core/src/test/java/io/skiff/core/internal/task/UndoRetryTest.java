package io.skiff.core.internal.task;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.StepState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.TaskEngineFixture.StepAction;
import io.skiff.core.internal.task.TaskEngineFixture.TestStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.skiff.core.internal.task.TaskEngineFixture.FAST_RETRIES;
import static io.skiff.core.internal.task.TaskEngineFixture.WAIT_SECONDS;
import static io.skiff.core.internal.task.TaskEngineFixture.await;
import static io.skiff.core.internal.task.TaskEngineFixture.handler;
import static io.skiff.core.internal.task.TaskEngineFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An undo never gives up on what waiting can cure; a rollback that cannot finish is visible and retryable. */
class UndoRetryTest {
    @RegisterExtension
    final TaskEngineFixture engines = new TaskEngineFixture();

    private final List<String> log = new CopyOnWriteArrayList<>();

    private JournaledTaskEngine engine(JournalStateStore store, int retain, UndoRetryPolicy policy,
                                       UndoHandler... handlers) {
        return engines.engine(store, 2, retain, policy, handlers);
    }

    private TaskStep logging(String name) {
        return new TestStep(name, "kind-" + name, ctx -> {
            ctx.record("took", name);
            log.add("apply " + name);
        }, ctx -> log.add("undo " + name));
    }

    private static TaskStep failing(String name) {
        return new TestStep(name, "kind-" + name, ctx -> {
            throw new IllegalStateException(name + " refused");
        }, ctx -> { });
    }

    /** Waits for an observable condition, within a bound that only a bug exceeds. */
    private static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within " + WAIT_SECONDS + " s");
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    @Test
    void aCellThatIsNotReadyIsWaitedForAndTheTaskShowsWhy() throws Exception {
        UndoRetryPolicy patient = new UndoRetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 1);
        JournaledTaskEngine engine = engine(engines.openStore(), 1000, patient);
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch thirdAttempt = new CountDownLatch(1);
        CountDownLatch cellReady = new CountDownLatch(1);
        TaskStep disks = new TestStep("create volumes", "cell.disks", ctx -> log.add("apply disks"), ctx -> {
            if (attempts.incrementAndGet() >= 3) {
                thirdAttempt.countDown();
                if (cellReady.getCount() > 0) {
                    throw SkiffException.unavailable("cell vm has no handler for instance.delete-disks (not ready)");
                }
            } else {
                throw SkiffException.unavailable("cell vm has no handler for instance.delete-disks (not ready)");
            }
            log.add("undo disks");
        });
        String id = engine.submit(request("instance.create", Set.of("instance:a"), logging("reserve"), disks,
                failing("define"))).id();
        // a task on the same resource waits for the rollback: nothing else touches what it still holds
        String next = engine.submit(request("instance.delete", Set.of("instance:a"), logging("after"))).id();

        assertTrue(thirdAttempt.await(WAIT_SECONDS, TimeUnit.SECONDS));
        until(() -> "3".equals(engine.get(id).orElseThrow().steps().get(1).data()
                .get(JournaledTaskEngine.UNDO_ATTEMPTS)));
        TaskInfo waiting = engine.get(id).orElseThrow();
        assertEquals(TaskState.ROLLING_BACK, waiting.state());
        assertTrue(waiting.message().contains("undo of step 2 'create volumes' failed: SkiffException: cell vm has "
                + "no handler"), waiting.message());
        assertTrue(waiting.message().matches(".*; attempt \\d+ at \\d{4}-.*"), waiting.message());
        StepInfo step = waiting.steps().get(1);
        assertEquals(StepState.UNDOING, step.state());
        assertTrue(step.data().containsKey(JournaledTaskEngine.UNDO_NEXT_ATTEMPT), step.data().toString());
        assertEquals(TaskState.QUEUED, engine.get(next).orElseThrow().state(), "the next task on instance:a waits");
        assertFalse(log.contains("apply after"));

        cellReady.countDown();
        TaskInfo done = await(engine, id);
        assertEquals(TaskState.FAILED, done.state(), done.error());
        assertEquals(List.of(StepState.UNDONE, StepState.UNDONE, StepState.UNDONE),
                done.steps().stream().map(StepInfo::state).toList());
        assertEquals("step 3/3 'define' failed: IllegalStateException: define refused", done.error());
        assertEquals(TaskState.SUCCEEDED, await(engine, next).state());
        assertEquals(List.of("apply reserve", "apply disks", "undo disks", "undo reserve", "apply after"), log);
    }

    @Test
    void aRollbackWaitingForARetrySurvivesARestart() throws Exception {
        JournalStateStore store1 = engines.openStore();
        UndoRetryPolicy slow = new UndoRetryPolicy(Duration.ofSeconds(60), Duration.ofSeconds(60), 1);
        JournaledTaskEngine engine1 = engine(store1, 1000, slow);
        CountDownLatch triedOnce = new CountDownLatch(1);
        TaskStep disks = new TestStep("create volumes", "cell.disks", ctx -> ctx.record("cell", "vm"), ctx -> {
            triedOnce.countDown();
            throw SkiffException.unavailable("cell vm is offline");
        });
        String id = engine1.submit(request("instance.create", Set.of(), disks, failing("define"))).id();
        assertTrue(triedOnce.await(WAIT_SECONDS, TimeUnit.SECONDS));
        // the "crash": the journal goes away with the undo waiting a minute for its next attempt
        store1.close();

        JournaledTaskEngine engine2 = engine(engines.openStore(), 1000, FAST_RETRIES,
                handler("cell.disks", ctx -> log.add("undo disks on " + ctx.data().get("cell"))),
                handler("kind-define", ctx -> log.add("undo define")));
        TaskInfo done = await(engine2, id);
        assertEquals(TaskState.FAILED, done.state(), done.error());
        assertTrue(done.error().startsWith(JournaledTaskEngine.RESTART_ERROR), done.error());
        assertEquals(List.of("undo disks on vm"), log, "the failed step itself was undone before the crash");
        engine1.close(Duration.ofSeconds(1));
    }

    @Test
    void aRollbackFailedTaskIsKeptBeyondRetentionAndCanBeRetried() throws Exception {
        JournalStateStore store = engines.openStore();
        AtomicBoolean fixed = new AtomicBoolean();
        StepAction undefine = ctx -> {
            if (!fixed.get()) {
                throw SkiffException.conflict("instance", "libvirt refuses to undefine: domain is locked");
            }
            log.add("undo define");
        };
        // a retried rollback works from the journaled data alone, through the handlers of the step kinds
        JournaledTaskEngine engine = engine(store, 1, FAST_RETRIES,
                handler("cell.define", undefine), handler("kind-reserve", ctx -> log.add("undo reserve")));
        TaskStep stubborn = new TestStep("define domain", "cell.define", ctx -> log.add("apply define"), undefine);
        String id = engine.submit(request("instance.create", Set.of("instance:b"), logging("reserve"), stubborn,
                failing("start"))).id();
        TaskInfo failed = await(engine, id);
        assertEquals(TaskState.ROLLBACK_FAILED, failed.state());
        assertTrue(failed.error().contains("left in place: step 2 'define domain', step 1 'reserve' {took=reserve}"),
                failed.error());
        // later tasks finish; retention (1) drops finished tasks, never one that waits for an operator
        for (int i = 0; i < 3; i++) {
            await(engine, engine.submit(request("other", Set.of(), logging("other" + i))).id());
        }
        assertEquals(TaskState.ROLLBACK_FAILED, engine.get(id).orElseThrow().state());
        assertTrue(engine.list().stream().anyMatch(t -> t.id().equals(id)));

        fixed.set(true);
        TaskInfo retried = engine.retryRollback(id, "admin");
        assertEquals(TaskState.ROLLING_BACK, retried.state());
        TaskInfo done = await(engine, id);
        assertEquals(TaskState.FAILED, done.state(), done.error());
        assertEquals("step 3/3 'start' failed: IllegalStateException: start refused", done.error(),
                "the error is the task's own again once everything is given back");
        assertEquals(List.of(StepState.UNDONE, StepState.UNDONE, StepState.UNDONE),
                done.steps().stream().map(StepInfo::state).toList());
        assertTrue(log.containsAll(List.of("undo define", "undo reserve")), log.toString());

        SkiffException notAgain = assertThrows(SkiffException.class, () -> engine.retryRollback(id, "admin"));
        assertEquals(SkiffException.Kind.CONFLICT, notAgain.kind());
        assertEquals("state", notAgain.field());
        assertEquals(SkiffException.Kind.NOT_FOUND,
                assertThrows(SkiffException.class, () -> engine.retryRollback("nope", "admin")).kind());
    }

    @Test
    void aMissingUndoHandlerIsWaitedForWhileItsBundleStarts() throws Exception {
        JournalStateStore store1 = engines.openStore();
        JournaledTaskEngine engine1 = engine(store1, 1000, FAST_RETRIES);
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskStep port = new TestStep("open port", "port", ctx -> {
            ctx.record("port", "5901");
            inStep.countDown();
            release.await();
        }, ctx -> { });
        String id = engine1.submit(request("instance.create", Set.of(), port)).id();
        assertTrue(inStep.await(WAIT_SECONDS, TimeUnit.SECONDS));
        store1.close();

        UndoHandlers registry = new UndoHandlers();
        JournaledTaskEngine engine2 = engines.closeAfter(new JournaledTaskEngine(engines.openStore(), 1, engines.clock(),
                1000, registry));
        engine2.undoRetryPolicy(FAST_RETRIES);
        engine2.awaitUndoHandlers(Duration.ofSeconds(WAIT_SECONDS));
        engine2.start();
        // the handler's bundle arrives after several attempts
        until(() -> engine2.get(id).orElseThrow().steps().get(0).data()
                .get(JournaledTaskEngine.UNDO_ATTEMPTS) != null);
        registry.add(handler("port", ctx -> log.add("close port " + ctx.data().get("port"))));
        TaskInfo done = await(engine2, id);
        assertEquals(TaskState.FAILED, done.state(), done.error());
        assertEquals(List.of("close port 5901"), log);
        release.countDown();
        engine1.close(Duration.ofSeconds(1));
    }
}
