package io.skiff.api.task;

import java.util.List;
import java.util.Set;

/**
 * A task to run: its steps in order and the resources it works on. Tasks that share a resource key run
 * one after the other in submission order; others run concurrently.
 *
 * @param name what the task does, e.g. {@code instance.create}
 * @param resources resource keys such as {@code instance:web-1} or {@code cell:host-a}
 * @param user who asked for it
 * @param steps the steps, applied in order and undone in reverse
 */
public record TaskRequest(String name, Set<String> resources, String user, List<TaskStep> steps) {
}
