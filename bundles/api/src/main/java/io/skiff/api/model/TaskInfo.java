package io.skiff.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A task: a multi-step operation run all-or-nothing by the task engine.
 *
 * @param id unique id
 * @param name what the task does, e.g. {@code instance.create}
 * @param resources keys of the resources it works on; tasks sharing one run one after the other
 * @param user who asked for it
 * @param state where it stands
 * @param progress percent done, 0 to 100
 * @param message the current step or outcome in words
 * @param error why it failed, or {@code null}
 * @param steps its steps
 * @param createdAt submission time
 * @param startedAt when its first step began, or {@code null}
 * @param finishedAt when it ended, or {@code null}
 */
public record TaskInfo(String id, String name, List<String> resources, String user, TaskState state, int progress,
                       String message, String error, List<StepInfo> steps, Instant createdAt, Instant startedAt,
                       Instant finishedAt) {
}
