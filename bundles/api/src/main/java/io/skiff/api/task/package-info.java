/**
 * Skiff public API: task. Semantically versioned; vendors compile against it.
 *
 * <p>0.5: asynchronous steps ({@link io.skiff.api.task.TaskStep#applyAsync},
 * {@link io.skiff.api.task.AsyncStepAction}).
 */
@org.osgi.annotation.versioning.Version("0.6.0")
package io.skiff.api.task;
