package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.Snapshot;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.api.service.SnapshotService;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Snapshots of instances, kept by the instance's cell: list (asked of the cell), take (of a running guest with its
 * memory), revert (the instance ends in the state the snapshot was taken in) and delete. Nothing of these is undone:
 * the cell's snapshot operations are each all-or-nothing.
 */
final class InstanceSnapshots implements SnapshotService {
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The step data of a snapshot taken: its name (key {@code snapshot}). */
    static final String SNAPSHOT = "snapshot";

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;

    InstanceSnapshots(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceTasks tasks,
                      InstanceSettings settings) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.tasks = tasks;
        this.settings = settings;
    }

    @Override
    public List<Snapshot> snapshots(String idOrName, AuthenticatedUser caller) {
        return of(access.settled(idOrName, caller));
    }

    /** @return the snapshots of an instance whose record is settled, parents before children (asks its cell) */
    List<Snapshot> of(InstanceRecord r) {
        return settings.calls().snapshots(r.cellId()).list(InstanceAction.of(r.id())).snapshots();
    }

    private static String snapshotName(String name) {
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
            throw SkiffException.invalid("name", "a snapshot name of letters, digits, '.', '_' and '-' "
                    + "(1 to 64, starting with a letter or digit) is required");
        }
        return name;
    }

    /** The snapshot of this instance (404 naming {@code snapshot} when it has none of that name). */
    private Snapshot snapshot(InstanceRecord r, String name) {
        if (name == null || name.isEmpty()) {
            throw SkiffException.invalid("snapshot", "a snapshot name is required");
        }
        return of(r).stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> SkiffException.notFound("snapshot", "snapshot of instance '"
                        + r.spec().name() + "'", name));
    }

    @Override
    public TaskInfo createSnapshot(String idOrName, String name, String description, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        snapshotName(name);
        if (description != null && description.length() > 1024) {
            throw SkiffException.invalid("description", "description must be at most 1024 characters");
        }
        if (of(r).stream().anyMatch(s -> s.name().equals(name))) {
            throw SkiffException.conflict("name", "instance '" + r.spec().name() + "' already has a snapshot '"
                    + name + "'");
        }
        return tasks.submit("instance.snapshot-create", r, caller.name(), List.of(
                tasks.noUndo().step("take snapshot " + name, ctx -> {
                    StepTarget target = StepTarget.record(ctx, records, r.id());
                    ctx.progress(0, (reports.state(r) == InstanceState.RUNNING ? "running guest: disks and memory"
                            : "stopped guest: disks") + " → snapshot " + name);
                    settings.faults().check("cell.snapshot");
                    Snapshot s = settings.calls().snapshots(target.cell()).create(new SnapshotRequest(r.id(), name, description));
                    StepData.put(ctx, SNAPSHOT, s.name());
                    ctx.progress(100, "snapshot " + name + " taken (" + s.instanceState() + ")");
                })));
    }

    @Override
    public TaskInfo revertSnapshot(String idOrName, String name, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        Snapshot snapshot = snapshot(r, name);
        InstanceState after = "running".equals(snapshot.instanceState()) ? InstanceState.RUNNING : InstanceState.STOPPED;
        return tasks.submit("instance.snapshot-revert", r, caller.name(), List.of(
                tasks.mark(r.id(), InstanceState.STOPPING),
                tasks.noUndo().step("revert to snapshot " + name, ctx -> {
                    StepTarget target = StepTarget.record(ctx, records, r.id());
                    ctx.progress(0, "reverting disks" + (after == InstanceState.RUNNING ? " and memory" : ""));
                    settings.calls().snapshots(target.cell()).revert(new SnapshotRequest(r.id(), name, null));
                    ctx.progress(100, "reverted to " + name);
                }),
                tasks.done(r.id(), after)));
    }

    @Override
    public TaskInfo deleteSnapshot(String idOrName, String name, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        snapshot(r, name);
        return tasks.submit("instance.snapshot-delete", r, caller.name(), List.of(
                tasks.cellAction("delete snapshot " + name, r.id(), (calls, cell) -> calls.snapshots(cell).delete(new SnapshotRequest(r.id(), name, null)))));
    }
}
