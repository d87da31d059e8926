package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell adds an empty data disk as its last disk (hot-plugged when it runs).
 * The disk's index is recorded before, {@code added} after the cell answered. Undo: the cell detaches the disk, takes
 * it out of the definition and deletes its volume. Without the {@code added} mark the Core stopped while the cell was
 * adding; the cell's add is all-or-nothing, so the disk is either complete or not there at all, and a cell that has no
 * such disk has nothing to give back.
 */
final class AddDiskStep extends StepKind<AddDiskStep.Data> {
    static final String KIND = "instance.disk.add";
    private static final Logger LOG = LoggerFactory.getLogger(AddDiskStep.class);

    /**
     * @param disk the index the new disk gets (key {@code disk})
     * @param added whether the cell answered that it added it (key {@code added})
     */
    record Data(StepTarget target, Integer disk, boolean added) {
        static final String DISK = "disk";
        static final String ADDED = "added";

        static Data read(Map<String, String> data) {
            return new Data(StepTarget.read(data), StepData.toInt(data.get(DISK)), data.containsKey(ADDED));
        }

        void writeTo(StepContext context) {
            target.writeTo(context);
            StepData.put(context, DISK, disk);
            StepData.put(context, ADDED, added ? "true" : null);
        }
    }

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    AddDiskStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.specs = specs;
        this.records = records;
        this.settings = settings;
    }

    /** @param storagePool a storage pool the Core defines or one of the cell's, {@code null} for its default */
    TaskStep step(String id, long sizeBytes, String storagePool) {
        return step("add data disk", ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            int index = records.require(id).spec().disks().size();
            new Data(target, index, false).writeTo(ctx);
            Ack ack = settings.calls().volumes(target.cell()).addDisk(new DiskAdd(id,
                    new CellDisk(null, storagePool, sizeBytes, null, false).inPool(specs.poolDefinition(storagePool))));
            new Data(target, index, true).writeTo(ctx);
            ctx.progress(100, "disk " + index + " added " + ack.detail());
        });
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        String cell = data.target().cell();
        if (cell == null || data.disk() == null) {
            return;
        }
        try {
            settings.calls().volumes(cell).removeDisk(new DiskRemove(data.target().instance(),
                    data.disk()));
        } catch (SkiffException e) {
            if (data.added() || !neverAdded(e)) {
                throw e;
            }
            LOG.info("instance {}: data disk {} was never added on cell {}; nothing to remove",
                    data.target().instance(), data.disk(), cell);
        }
    }

    /** The cell has no such data disk (its code {@value CellCalls#NO_SUCH_DISK}): the add never happened. */
    private static boolean neverAdded(SkiffException e) {
        return CellCalls.NO_SUCH_DISK.equals(e.code());
    }
}
