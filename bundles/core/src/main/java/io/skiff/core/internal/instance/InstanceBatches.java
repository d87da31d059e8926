package io.skiff.core.internal.instance;

import io.skiff.api.model.GuestInit;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.BatchService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Operations on many instances at once. A batch is a parent task with one step per item that queues the item's own
 * task (all-or-nothing on its own, so one item's failure undoes no other), at most {@code batchParallelism} at once,
 * and a last step that waits for them all and sums up. The parent takes one engine thread while it waits, whatever the
 * number of items; the items' tasks run on their own.
 */
final class InstanceBatches implements BatchService {
    static final int MAX_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(InstanceBatches.class);
    private static final Pattern COUNTER = Pattern.compile("\\{(n+)\\}");

    /**
     * The step data of a batch item (keys {@code item}, {@code task}, {@code instance}, {@code outcome},
     * {@code error}), as {@link BatchService} documents them.
     */
    record Item(String item, String task, String instance, String outcome, String error) {
        static final String SUCCEEDED = "SUCCEEDED";
        static final String FAILED = "FAILED";
        static final String RUNNING = "RUNNING";

        static Item read(Map<String, String> data) {
            return new Item(data.get("item"), data.get("task"), data.get("instance"), data.get("outcome"),
                    data.get("error"));
        }

        void writeTo(StepContext context) {
            StepData.put(context, "item", item);
            StepData.put(context, "task", task);
            StepData.put(context, "instance", instance);
            StepData.put(context, "outcome", outcome);
            StepData.put(context, "error", error);
        }
    }

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final InstanceRequests requests;
    private final InstanceService lifecycle;
    private final TaskEngine engine;
    private final InstanceSettings settings;
    private final NoUndoStep noUndo;

    InstanceBatches(InstanceRecords records, InstanceAccess access, InstanceRequests requests,
                    InstanceService lifecycle, TaskEngine engine, InstanceSettings settings, InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.requests = requests;
        this.lifecycle = lifecycle;
        this.engine = engine;
        this.settings = settings;
        this.noUndo = steps.noUndo();
    }

    /** The names a pattern gives for items 1..count. */
    static List<String> batchNames(String pattern, int count) {
        if (count < 1 || count > MAX_BATCH) {
            throw SkiffException.invalid("count", "count must be between 1 and " + MAX_BATCH);
        }
        if (pattern == null || !COUNTER.matcher(pattern).find()) {
            throw SkiffException.invalid("namePattern", "namePattern needs {n} (or {nn}, {nnn} zero-padded), "
                    + "e.g. web-{nn}");
        }
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String name = numbered(pattern, n);
            try {
                Names.require("name", name);
            } catch (SkiffException e) {
                throw SkiffException.invalid("namePattern", "namePattern gives '" + name + "': " + e.getMessage());
            }
            names.add(name);
        }
        return names;
    }

    private static String numbered(String pattern, int n) {
        return COUNTER.matcher(pattern).replaceAll(m -> String.format("%0" + m.group(1).length() + "d", n));
    }

    @Override
    public TaskInfo createBatch(InstanceSpec requested, String namePattern, int count, AuthenticatedUser caller) {
        if (requested == null) {
            throw SkiffException.invalid("spec", "an instance spec is required");
        }
        access.requireVisibleSources(requested, caller);
        // every item gets the defaults of the moment the batch is asked for, also when the settings change meanwhile
        InstanceSpec spec = requests.withDefaults(requested);
        List<String> names = batchNames(namePattern, count);
        for (String name : names) {
            if (records.nameTaken(name)) {
                throw SkiffException.conflict("namePattern", "instance '" + name + "' already exists");
            }
        }
        // the spec is checked once, with the first name, before anything is queued
        requests.create(rename(spec, names.get(0), 1));
        Run run = new Run(settings.config().batchParallelism());
        List<TaskStep> steps = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int number = i + 1;
            steps.add(item(run, "create " + name, name, () -> lifecycle.create(rename(spec, name, number), caller)));
        }
        return batch(run, "instance.batch-create", names, caller.name(), steps);
    }

    private static InstanceSpec rename(InstanceSpec s, String name, int n) {
        // a host name pattern is numbered like the names; without one, each guest is named after its instance
        GuestInit init = s.guestInit();
        if (init != null && init.hostname() != null && COUNTER.matcher(init.hostname()).find()) {
            init = new GuestInit(numbered(init.hostname(), n), init.adminUser(), init.adminPassword(),
                    init.adminPasswordHash(), init.sshKeys(), init.mounts());
        }
        // a batch never takes one specific address for all its items
        return new InstanceSpec(name, s.poolId(), s.cellId(), s.cores(), s.memoryBytes(), s.disks(), s.profile(),
                s.addressPoolId(), s.autoStart(), null, init, s.qos(), s.media(), s.bootFrom(), s.restartPolicy(),
                s.labels());
    }

    @Override
    public TaskInfo stopBatch(List<String> instances, boolean force, AuthenticatedUser caller) {
        List<String> names = targets(instances, caller);
        Run run = new Run(settings.config().batchParallelism());
        List<TaskStep> steps = new ArrayList<>();
        for (String name : names) {
            steps.add(item(run, "stop " + name, name, () -> lifecycle.stop(name, force, caller)));
        }
        return batch(run, "instance.batch-stop", names, caller.name(), steps);
    }

    @Override
    public TaskInfo deleteBatch(List<String> instances, boolean force, AuthenticatedUser caller) {
        List<String> names = targets(instances, caller);
        Run run = new Run(settings.config().batchParallelism());
        List<TaskStep> steps = new ArrayList<>();
        for (String name : names) {
            steps.add(item(run, "delete " + name, name, () -> lifecycle.delete(name, force, caller)));
        }
        return batch(run, "instance.batch-delete", names, caller.name(), steps);
    }

    /**
     * A parent task {@code name} with one item per instance, each its own task queued by {@code one} (e.g. the
     * migrations of a cell's evacuation), at most {@code batchParallelism} at once; unlike a batch it fails (after
     * all items ended) when an item failed, naming how many.
     */
    TaskInfo each(String name, String verb, List<String> names, String user, Function<String, TaskInfo> one) {
        Run run = new Run(settings.config().batchParallelism());
        List<TaskStep> steps = new ArrayList<>();
        for (String instance : names) {
            steps.add(item(run, verb + " " + instance, instance, () -> one.apply(instance)));
        }
        return batch(run, name, names, user, steps, true);
    }

    /** @return the instances' names; one the caller may not see is refused as unknown ({@code instances.<i>}) */
    private List<String> targets(List<String> instances, AuthenticatedUser caller) {
        if (instances == null || instances.isEmpty() || instances.size() > MAX_BATCH) {
            throw SkiffException.invalid("instances", "1 to " + MAX_BATCH + " instances are required");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            String idOrName = instances.get(i);
            int index = i;
            if (idOrName == null || idOrName.isEmpty()) {
                throw SkiffException.invalid("instances." + i, "instance " + i + " is empty");
            }
            InstanceRecord r = records.lookup(idOrName)
                    .filter(found -> access.canSee(found, caller))
                    .orElseThrow(() -> SkiffException.notFound("instances." + index, "instance", idOrName));
            if (names.contains(r.spec().name())) {
                throw SkiffException.invalid("instances." + i, "instance '" + idOrName + "' is listed twice");
            }
            names.add(r.spec().name());
        }
        return names;
    }

    /**
     * The items of one batch in flight: at most {@code parallelism} of their tasks at once. A slot is taken when an
     * item's task is queued and given back when that task ends (or its wait runs out).
     */
    private static final class Run {
        final int parallelism;
        final Semaphore slots;
        final List<CompletableFuture<Void>> items = Collections.synchronizedList(new ArrayList<>());

        Run(int parallelism) {
            this.parallelism = Math.max(1, parallelism);
            this.slots = new Semaphore(this.parallelism);
        }
    }

    /** How long one item's task may take before the batch stops waiting for it (the task itself goes on). */
    private long itemTimeoutSeconds() {
        return Math.max(60, settings.config().cellTimeoutSeconds()) * 4L;
    }

    /**
     * One item of a batch: its own task (all-or-nothing). The step waits for a free slot, queues the task and
     * returns; the task's end writes the outcome into the step's data ({@code RUNNING} until then) and frees the
     * slot. An item never fails the batch, so the other items stay.
     */
    private TaskStep item(Run run, String label, String name, Supplier<TaskInfo> submit) {
        return noUndo.step(label, ctx -> {
            new Item(name, null, null, null, null).writeTo(ctx);
            if (!run.slots.tryAcquire(itemTimeoutSeconds() * 2, TimeUnit.SECONDS)) {
                new Item(name, null, null, Item.FAILED, "no free slot among the batch's " + run.parallelism
                        + " in time; not started").writeTo(ctx);
                return;
            }
            TaskInfo child;
            try {
                child = submit.get();
            } catch (RuntimeException e) {
                run.slots.release();
                new Item(name, null, null, Item.FAILED, e.getMessage() == null ? e.toString() : e.getMessage())
                        .writeTo(ctx);
                LOG.info("batch {}: item {} refused: {}", ctx.taskId(), name, e.getMessage());
                return;
            }
            String instance = child.resources().stream().filter(r -> r.startsWith("instance:")).findFirst()
                    .map(r -> r.substring("instance:".length())).orElse(null);
            new Item(name, child.id(), instance, Item.RUNNING, null).writeTo(ctx);
            ctx.progress(100, label + ": task " + child.id());
            run.items.add(engine.completion(child.id())
                    .orTimeout(itemTimeoutSeconds(), TimeUnit.SECONDS)
                    .handle((done, failure) -> {
                        try {
                            if (failure != null) {
                                new Item(name, child.id(), instance, Item.FAILED, failure instanceof TimeoutException
                                        ? "task " + child.id() + " did not finish in time; it goes on on its own"
                                        : "task " + child.id() + ": " + failure.getMessage()).writeTo(ctx);
                                return null;
                            }
                            boolean ok = done.state() == TaskState.SUCCEEDED;
                            new Item(name, child.id(), instance, ok ? Item.SUCCEEDED : Item.FAILED,
                                    ok ? null : done.error()).writeTo(ctx);
                            LOG.info("batch {}: item {} {}", ctx.taskId(), name, ok ? "succeeded" : "failed");
                        } catch (RuntimeException e) {
                            // the batch's journal is gone (engine stopping): the restart rollback takes over
                            LOG.warn("batch {}: outcome of item {} not recorded: {}", ctx.taskId(), name,
                                    e.getMessage());
                        } finally {
                            run.slots.release();
                        }
                        return null;
                    }));
        });
    }

    /** The parent task: the item steps, then the summary step that waits for all of them. */
    private TaskInfo batch(Run run, String name, List<String> names, String user, List<TaskStep> items) {
        return batch(run, name, names, user, items, false);
    }

    /** @param strict fail when an item failed (after all of them ended) */
    private TaskInfo batch(Run run, String name, List<String> names, String user, List<TaskStep> items,
                           boolean strict) {
        List<TaskStep> steps = new ArrayList<>(items);
        steps.add(noUndo.step("summary", ctx -> {
            List<CompletableFuture<Void>> pending;
            synchronized (run.items) {
                pending = List.copyOf(run.items);
            }
            int finished = 0;
            for (CompletableFuture<Void> f : pending) {
                f.get(); // each ends by itself: with its task, or when its own wait runs out
                finished++;
                ctx.progress(finished * 100 / Math.max(1, pending.size()), finished + " of " + pending.size()
                        + " item task(s) finished");
            }
            TaskInfo now = engine.get(ctx.taskId()).orElse(null);
            long failed = now == null ? 0 : now.steps().stream()
                    .filter(s -> Item.FAILED.equals(Item.read(s.data()).outcome())).count();
            StepData.put(ctx, "succeeded", names.size() - failed);
            StepData.put(ctx, "failed", failed);
            ctx.progress(100, (names.size() - failed) + " of " + names.size() + " succeeded"
                    + (failed > 0 ? ", " + failed + " failed (rolled back)" : ""));
            if (strict && failed > 0) {
                throw SkiffException.conflict("instances", failed + " of " + names.size()
                        + " item task(s) failed (each rolled back); see the steps");
            }
        }));
        // the batch holds no instance lock: each item's own task takes its instance's
        TaskInfo task = engine.submit(new TaskRequest(name, Set.of("batch:" + UUID.randomUUID()), user, steps));
        LOG.info("batch {} of {} item(s) queued as task {}, {} at once", name, names.size(), task.id(),
                run.parallelism);
        return task;
    }
}
