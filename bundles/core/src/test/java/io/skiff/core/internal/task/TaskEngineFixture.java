package io.skiff.core.internal.task;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.TestClock;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the task engine's tests share ({@code @RegisterExtension}): journal stores and started engines in a folder
 * of their own, closed after each test (the newest first) and the folder deleted; steps and undo handlers made of
 * lambdas; a clock that ticks one second a reading.
 */
final class TaskEngineFixture implements BeforeEachCallback, AfterEachCallback {
    /** Generous bound so that a bug shows up as a failure rather than a hung build; never a timing assertion. */
    static final long WAIT_SECONDS = 30;
    /** Retries within milliseconds, three attempts for failures that waiting cannot cure. */
    static final UndoRetryPolicy FAST_RETRIES = new UndoRetryPolicy(Duration.ofMillis(5), Duration.ofMillis(20), 3);

    /** Every reading is one second after the previous one, so timestamps order tasks deterministically. */
    private final TestClock clock = TestClock.ticking("2024-01-01T00:00:00Z", Duration.ofSeconds(1));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("skiff-task-engine-test");
    }

    /** @return a store on the folder, closed after the test */
    JournalStateStore openStore() throws IOException {
        return closeAfter(new JournalStateStore(dir, Json.newObjectMapper(), 0));
    }

    /** @return a started engine on {@code store} with this retry policy and these undo handlers, closed after the test */
    JournaledTaskEngine engine(JournalStateStore store, int threads, int retain, UndoRetryPolicy policy,
                               UndoHandler... handlers) {
        UndoHandlers registry = new UndoHandlers();
        for (UndoHandler handler : handlers) {
            registry.add(handler);
        }
        JournaledTaskEngine engine = closeAfter(new JournaledTaskEngine(store, threads, clock, retain, registry));
        engine.undoRetryPolicy(policy);
        engine.start();
        return engine;
    }

    /** @return the fixture's clock, for an engine a test builds itself */
    Clock clock() {
        return clock;
    }

    /** @return {@code c}, closed after the test */
    <T extends AutoCloseable> T closeAfter(T c) {
        toClose.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static TaskInfo await(JournaledTaskEngine engine, String id) throws Exception {
        return engine.completion(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static TaskRequest request(String name, Set<String> resources, TaskStep... steps) {
        return new TaskRequest(name, resources, "tester", List.of(steps));
    }

    static UndoHandler handler(String kind, StepAction action) {
        return new UndoHandler() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public void undo(StepContext context) throws Exception {
                action.run(context);
            }
        };
    }

    @FunctionalInterface
    interface StepAction {
        void run(StepContext context) throws Exception;
    }

    record TestStep(String name, String kind, StepAction onApply, StepAction onUndo) implements TaskStep {
        @Override
        public void apply(StepContext context) throws Exception {
            onApply.run(context);
        }

        @Override
        public void undo(StepContext context) throws Exception {
            onUndo.run(context);
        }
    }
}
