package io.skiff.shell.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.task.TaskEngine;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** Follows a task to its end, printing its progress, for commands run with {@code --wait}. */
final class TaskWaiter {
    private TaskWaiter() {
    }

    static TaskInfo follow(TaskEngine engine, TaskInfo task, PrintStream out, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String last = "";
        TaskInfo now = task;
        while (System.nanoTime() < deadline) {
            now = engine.get(task.id()).orElse(now);
            String line = now.progress() + "% " + (now.message() == null ? "" : now.message());
            if (!line.equals(last)) {
                out.println("  " + line);
                last = line;
            }
            if (now.state().finished()) {
                break;
            }
            Thread.sleep(250);
        }
        if (now.state() == TaskState.FAILED) {
            throw new IllegalStateException("task " + now.id() + " failed: " + now.error());
        }
        if (!now.state().finished()) {
            out.println("Task " + now.id() + " still " + now.state().name().toLowerCase() + "; see skiff:task-info");
        }
        return now;
    }
}
