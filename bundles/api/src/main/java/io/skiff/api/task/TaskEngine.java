package io.skiff.api.task;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.Timings;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs tasks all-or-nothing: every step is journaled; when one fails, the applied steps are undone in
 * reverse; tasks left unfinished by a crash are rolled back at start-up.
 */
public interface TaskEngine {

    /**
     * Queues a task.
     *
     * @param request the task
     * @return the task as queued (state {@code QUEUED}) with its id
     */
    TaskInfo submit(TaskRequest request);

    /**
     * @param taskId a task id
     * @return a future completed with the final state of the task (succeeded or failed)
     */
    CompletableFuture<TaskInfo> completion(String taskId);

    /** @return the task with this id, if known */
    Optional<TaskInfo> get(String taskId);

    /**
     * @return how many steps are at work asynchronously now (a request to a cell, {@link TaskStep#applyAsync}), none
     *     of them holding a thread (since version 0.5 of this package)
     */
    default int stepsAtWork() {
        return 0;
    }

    /**
     * @return how long steps took since the engine started, from start to applied or failed, by step kind and
     *     outcome ({@code "<kind>/applied"}, {@code "<kind>/failed"}); empty when the engine does not time them
     *     (since version 0.6 of this package)
     */
    default Map<String, Timings> stepTimings() {
        return Map.of();
    }

    /** @return all known tasks, newest first */
    List<TaskInfo> list();

    /**
     * Task visibility, the one rule for REST and shell: a caller sees the tasks it started, and every task with
     * {@code resource.all} (since version 0.3 of this package).
     *
     * @return the tasks the caller may see, newest first
     */
    default List<TaskInfo> list(AuthenticatedUser caller) {
        return list().stream().filter(t -> visible(t, caller)).toList();
    }

    /**
     * @return the task with this id when the caller may see it (see {@link #list(AuthenticatedUser)}): one it may
     *     not see is as unknown to it as one that does not exist
     */
    default Optional<TaskInfo> get(String taskId, AuthenticatedUser caller) {
        return get(taskId).filter(t -> visible(t, caller));
    }

    private static boolean visible(TaskInfo task, AuthenticatedUser caller) {
        return caller != null && (caller.hasPermission(Permissions.RESOURCE_ALL) || caller.name().equals(task.user()));
    }

    /**
     * Rolls back again a task that ended {@code ROLLBACK_FAILED}: the undos that failed are tried anew, after which
     * the task ends {@code FAILED} (everything given back) or {@code ROLLBACK_FAILED} again.
     *
     * @param taskId a task in state {@code ROLLBACK_FAILED}
     * @param user who asks for it (for the log)
     * @return the task as queued again (state {@code ROLLING_BACK})
     * @throws io.skiff.api.service.SkiffException {@code NOT_FOUND} for an unknown task, {@code CONFLICT} (field
     *     {@code state}) for a task in another state
     */
    default TaskInfo retryRollback(String taskId, String user) {
        throw io.skiff.api.service.SkiffException.unavailable("this task engine cannot retry rollbacks");
    }
}
