package io.skiff.api.task;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task visibility, the one rule REST and shell use: a caller sees the tasks it started, all with resource.all. */
class TaskEngineVisibilityTest {
    private static final AuthenticatedUser ALICE = new AuthenticatedUser("alice", Set.of("user"), "red",
            Permissions.USER);
    private static final AuthenticatedUser OTTO = new AuthenticatedUser("otto", Set.of("operator"), "ops",
            Permissions.OPERATOR);

    private final TaskEngine engine = new Tasks(List.of(task("t-1", "alice"), task("t-2", "bob")));

    private static TaskInfo task(String id, String user) {
        return new TaskInfo(id, "instance.start", List.of(), user, TaskState.SUCCEEDED, 100, null, null, List.of(),
                Instant.EPOCH, null, null);
    }

    @Test
    void aCallerSeesTheTasksItStarted() {
        assertEquals(List.of("t-1"), engine.list(ALICE).stream().map(TaskInfo::id).toList());
        assertEquals("t-1", engine.get("t-1", ALICE).orElseThrow().id());
        assertTrue(engine.get("t-2", ALICE).isEmpty(), "another user's task is unknown to it");
        assertTrue(engine.get("t-9", ALICE).isEmpty());
    }

    @Test
    void resourceAllSeesEveryTask() {
        assertEquals(List.of("t-1", "t-2"), engine.list(OTTO).stream().map(TaskInfo::id).toList());
        assertEquals("bob", engine.get("t-2", OTTO).orElseThrow().user());
    }

    @Test
    void noCallerSeesNothing() {
        assertTrue(engine.list(null).isEmpty());
    }

    /** A task engine that knows some finished tasks. */
    private record Tasks(List<TaskInfo> tasks) implements TaskEngine {
        @Override
        public TaskInfo submit(TaskRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<TaskInfo> completion(String taskId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TaskInfo> get(String taskId) {
            return tasks.stream().filter(t -> t.id().equals(taskId)).findFirst();
        }

        @Override
        public List<TaskInfo> list() {
            return tasks;
        }
    }
}
