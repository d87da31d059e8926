package io.skiff.api.service;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.TaskInfo;

import java.util.List;

/**
 * Operations on many instances at once. Each runs as one parent task with one step per item; the step's data
 * says the item's outcome ({@code item}, {@code instance}, {@code task}, {@code outcome} = {@code SUCCEEDED} or
 * {@code FAILED}, {@code error}). Each item is all-or-nothing on its own (its own task, which rolls back); one
 * item's failure does not undo the others. An instance or image the caller may not see is refused as one that does
 * not exist.
 */
public interface BatchService {

    /**
     * Creates {@code count} instances from one spec; names come from {@code namePattern}, where {@code {n}} is the
     * item's number (1, 2...) and {@code {nn}}, {@code {nnn}} the same zero-padded.
     *
     * @throws SkiffException {@code INVALID} naming {@code namePattern}, {@code count} or a spec field; {@code CONFLICT}
     *     naming {@code namePattern} when a generated name exists
     */
    TaskInfo createBatch(InstanceSpec spec, String namePattern, int count, AuthenticatedUser caller);

    /** Stops the listed instances (names or ids). */
    TaskInfo stopBatch(List<String> instances, boolean force, AuthenticatedUser caller);

    /** Deletes the listed instances (names or ids); running ones only with {@code force}. */
    TaskInfo deleteBatch(List<String> instances, boolean force, AuthenticatedUser caller);
}
