package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.DiskCompact;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceDiskService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.core.internal.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An instance's disks: resize (grow live or stopped, shrink stopped and never below its data), add an empty data
 * disk, compact, remove a data disk. The request is checked before anything is queued; each change is a task whose
 * cell step and record step are undone as their kinds say ({@link AddDiskStep}, {@link RecordDiskStep},
 * {@link RecordDiskRemovalStep}).
 */
final class InstanceDisks implements InstanceDiskService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceDisks.class);

    /**
     * The step data of a compaction: the bytes on disk before and after (keys {@code bytesBefore},
     * {@code bytesAfter}).
     */
    record Compacted(String bytesBefore, String bytesAfter) {
        static Compacted read(Map<String, String> data) {
            return new Compacted(data.get("bytesBefore"), data.get("bytesAfter"));
        }

        void writeTo(StepContext context) {
            StepData.put(context, "bytesBefore", bytesBefore);
            StepData.put(context, "bytesAfter", bytesAfter);
        }
    }

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final AddDiskStep addDisk;
    private final RecordDiskStep recordDisk;
    private final RecordDiskRemovalStep recordDiskRemoval;

    InstanceDisks(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceTasks tasks,
                  InstanceSettings settings, InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.tasks = tasks;
        this.settings = settings;
        this.addDisk = steps.addDisk();
        this.recordDisk = steps.recordDisk();
        this.recordDiskRemoval = steps.recordDiskRemoval();
    }

    @Override
    public TaskInfo resizeDisk(String idOrName, int disk, long sizeBytes, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        InstanceRequests.existingDisk(r, disk);
        long current = r.spec().disks().get(disk).sizeBytes();
        if (sizeBytes == current) {
            throw SkiffException.invalid("sizeBytes", "disk " + disk + " of '" + r.spec().name() + "' is " + current
                    + " bytes already");
        }
        InstanceRequests.diskSize(sizeBytes);
        boolean shrink = sizeBytes < current;
        if (shrink) {
            requireShrinkable(r, disk, sizeBytes);
        }
        String verb = shrink ? "shrink" : "grow";
        return tasks.submit("instance.disk.resize", r, caller.name(), List.of(
                tasks.noUndo().step(verb + " disk " + disk, ctx -> {
                    StepTarget target = StepTarget.record(ctx, records, r.id());
                    Ack ack = settings.calls().volumes(target.cell()).resizeDisk(new DiskResize(r.id(), disk, sizeBytes));
                    ctx.progress(100, "disk " + disk + " " + (shrink ? "shrunk" : "grown " + ack.detail()));
                }),
                tasks.noUndo().step("record size", ctx -> settings.scheduler().locked(() -> {
                    InstanceRecord now = records.require(r.id());
                    List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                    DiskSpec d = disks.get(disk);
                    disks.set(disk, new DiskSpec(sizeBytes, d.storagePool(), d.imageId(), d.cloneMode()));
                    records.saveSpec(now, now.spec().withDisks(disks));
                    LOG.info("instance {} ({}): disk {} is {} bytes", now.spec().name(), r.id(), disk, sizeBytes);
                    return null;
                }))));
    }

    /**
     * A disk shrinks only on a stopped instance and never below where its data ends (asked of the cell before the
     * task, so a refusal is a 4xx that changes nothing).
     */
    private void requireShrinkable(InstanceRecord r, int disk, long sizeBytes) {
        if (reports.state(r) != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to shrink a disk");
        }
        DiskUsage usage = settings.calls().volumes(r.cellId()).diskUsage(new DiskUsageRequest(r.id(), disk));
        if (sizeBytes < usage.dataEndBytes()) {
            throw SkiffException.invalid("sizeBytes", "disk " + disk + " of '" + r.spec().name()
                    + "' holds data up to byte " + usage.dataEndBytes() + "; it cannot shrink to " + sizeBytes
                    + " bytes (compact gives back unused space instead)");
        }
    }

    @Override
    public TaskInfo addDisk(String idOrName, long sizeBytes, String storagePool, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        InstanceRequests.diskSize(sizeBytes);
        if (r.spec().disks().size() >= InstanceRequests.MAX_DISKS) {
            throw SkiffException.invalid("disks", "instance '" + r.spec().name() + "' already has "
                    + InstanceRequests.MAX_DISKS + " disks, the most an instance may have");
        }
        if (storagePool != null && !storagePool.isEmpty()) {
            Names.require("storagePool", storagePool);
        }
        // a disk that names no pool goes where the instance's disks are
        String pool = storagePool == null || storagePool.isEmpty() ? r.storagePoolId() : storagePool;
        return tasks.submit("instance.disk.add", r, caller.name(), List.of(addDisk.step(r.id(), sizeBytes, pool),
                recordDisk.step(r.id(), sizeBytes, pool)));
    }

    @Override
    public TaskInfo compactDisk(String idOrName, int disk, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        InstanceRequests.existingDisk(r, disk);
        if (reports.state(r) != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to compact a disk");
        }
        // nothing to undo: the cell writes the compacted copy beside the volume and renames it over the original
        // in one atomic step, so a failure or a crash at any point leaves either the old volume or the new one,
        // both holding the same data
        return tasks.submit("instance.disk.compact", r, caller.name(), List.of(
                tasks.noUndo().step("compact disk " + disk, ctx -> {
                    StepTarget target = StepTarget.record(ctx, records, r.id());
                    Ack ack = settings.calls().volumes(target.cell()).compactDisk(new DiskCompact(r.id(), disk));
                    String[] bytes = ack.detail().split(" ");
                    new Compacted(bytes[0], bytes[1]).writeTo(ctx);
                    ctx.progress(100, "disk " + disk + " compacted from " + bytes[0] + " to " + bytes[1]
                            + " bytes on disk");
                })));
    }

    @Override
    public TaskInfo removeDisk(String idOrName, int disk, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        int count = r.spec().disks().size();
        if (disk == 0) {
            throw SkiffException.invalid("disk", "disk 0 is the system disk of '" + r.spec().name()
                    + "'; it is never removed");
        }
        if (disk < 0 || disk >= count) {
            throw SkiffException.invalid("disk", count == 1 ? "instance '" + r.spec().name() + "' has no data disks"
                    : "instance '" + r.spec().name() + "' has data disks 1 to " + (count - 1));
        }
        // The Core's record goes first and can be given back; the cell's removal goes last because it cannot: it
        // deletes the volume as its final act, and once the data is gone no undo can bring it back. A cell that
        // fails before that changes nothing (its detach and redefinition come first and fail whole), so the record
        // is restored and the disk stays. After a Core crash during the cell's removal the rollback asks the cell
        // how many disks it has before it puts the disk back in the record (see RecordDiskRemovalStep).
        return tasks.submit("instance.disk.remove", r, caller.name(), List.of(recordDiskRemoval.step(r.id(), disk),
                tasks.noUndo().step("remove data disk " + disk, ctx -> {
                    StepTarget target = StepTarget.record(ctx, records, r.id());
                    settings.faults().check("instance.disk.remove", r.spec().name());
                    Ack ack = settings.calls().volumes(target.cell()).removeDisk(new DiskRemove(r.id(), disk));
                    LOG.info("instance {} ({}): data disk {} removed", r.spec().name(), r.id(), disk);
                    ctx.progress(100, "disk " + disk + " removed " + ack.detail());
                })));
    }
}
