package io.skiff.core.internal.task;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.Timings;
import io.skiff.api.service.OperationLog;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.UndoHandler;
import io.skiff.osgi.support.ComponentActivations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes a {@link JournaledTaskEngine} as the Core's {@link TaskEngine} service, configured through
 * {@code etc/io.skiff.core.tasks.cfg}. The state store is a static reference (the engine cannot work without it);
 * undo handlers of other bundles come and go dynamically and are looked up by step kind when needed.
 */
@Component(service = TaskEngine.class, configurationPid = "io.skiff.core.tasks")
@Designate(ocd = TaskEngineComponent.Config.class)
public class TaskEngineComponent implements TaskEngine {

    @ObjectClassDefinition(name = "Skiff task engine",
            description = "Runs multi-step operations all-or-nothing.")
    public @interface Config {

        @AttributeDefinition(name = "Threads", description = "How many threads run tasks; a task waiting for a cell or "
                + "the journal holds none, so many more tasks than threads can be under way.")
        int threads() default 8;

        @AttributeDefinition(name = "Retain finished",
                description = "How many finished tasks are kept; older ones are forgotten.")
        int retainFinished() default JournaledTaskEngine.DEFAULT_RETAIN_FINISHED;

        @AttributeDefinition(name = "Step time-out",
                description = "Minutes a step that works asynchronously (a request to a cell) may take; then it fails "
                        + "and the task is rolled back.")
        int stepTimeoutMinutes() default 60;

        @AttributeDefinition(name = "Undo handler wait",
                description = "Seconds a start-up rollback waits for the bundle that undoes a step kind to start.")
        int undoHandlerWaitSeconds() default 60;

        @AttributeDefinition(name = "Undo retry delay",
                description = "Milliseconds before a failed undo is tried again; the delay doubles with each attempt.")
        long undoRetryInitialMillis() default 1000;

        @AttributeDefinition(name = "Undo retry maximum delay",
                description = "The longest delay, in seconds, between two attempts of a failed undo.")
        int undoRetryMaxSeconds() default 30;

        @AttributeDefinition(name = "Undo attempts for other failures",
                description = "How many attempts an undo gets when it fails for a reason that waiting cannot cure "
                        + "(anything but an unavailable cell or provider, a time-out or a transport error); then the "
                        + "task ends ROLLBACK_FAILED.")
        int undoOtherAttempts() default 3;
    }

    private final UndoHandlers undoHandlers = new UndoHandlers();

    @Reference
    private StateStore stateStore;

    private volatile JournaledTaskEngine engine;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addUndoHandler(UndoHandler handler) {
        undoHandlers.add(handler);
    }

    void removeUndoHandler(UndoHandler handler) {
        undoHandlers.remove(handler);
    }

    private org.osgi.framework.ServiceRegistration<io.skiff.api.model.ComponentActivation> activation;

    /** Where a task whose rollback failed is logged for operators; optional (the auth bundle provides it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OperationLog operationLog;

    @Activate
    void activate(Config config, org.osgi.framework.BundleContext context) {
        activation = ComponentActivations.register(context, "TaskEngine");
        JournaledTaskEngine e = new JournaledTaskEngine(stateStore, config.threads(), Clock.systemUTC(),
                config.retainFinished(), undoHandlers);
        e.awaitUndoHandlers(java.time.Duration.ofSeconds(config.undoHandlerWaitSeconds()));
        e.undoRetryPolicy(new UndoRetryPolicy(java.time.Duration.ofMillis(Math.max(0, config.undoRetryInitialMillis())),
                java.time.Duration.ofMillis(Math.max(config.undoRetryInitialMillis(),
                        config.undoRetryMaxSeconds() * 1000L)), Math.max(1, config.undoOtherAttempts())));
        e.stepTimeout(java.time.Duration.ofMinutes(Math.max(1, config.stepTimeoutMinutes())));
        e.onRollbackFailed(this::logRollbackFailed);
        e.start();
        engine = e;
    }

    @Deactivate
    void deactivate() {
        ComponentActivations.unregister(activation);
        JournaledTaskEngine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
    }

    private void logRollbackFailed(TaskInfo task) {
        OperationLog log = operationLog;
        if (log != null) {
            log.record(new OperationRecord(Instant.now(), task.user(), "core", "task", "rollback " + task.name(),
                    "tasks/" + task.id(), OperationRecord.FAILED, 0, task.id(), task.error()));
        }
    }

    private JournaledTaskEngine engine() {
        JournaledTaskEngine e = engine;
        if (e == null) {
            throw new IllegalStateException("task engine is not active");
        }
        return e;
    }

    @Override
    public TaskInfo submit(TaskRequest request) {
        return engine().submit(request);
    }

    @Override
    public CompletableFuture<TaskInfo> completion(String taskId) {
        return engine().completion(taskId);
    }

    @Override
    public Optional<TaskInfo> get(String taskId) {
        return engine().get(taskId);
    }

    @Override
    public List<TaskInfo> list() {
        return engine().list();
    }

    @Override
    public int stepsAtWork() {
        JournaledTaskEngine e = engine;
        return e == null ? 0 : e.stepsAtWork();
    }

    @Override
    public Map<String, Timings> stepTimings() {
        JournaledTaskEngine e = engine;
        return e == null ? Map.of() : e.stepTimings();
    }

    @Override
    public TaskInfo retryRollback(String taskId, String user) {
        return engine().retryRollback(taskId, user);
    }
}
