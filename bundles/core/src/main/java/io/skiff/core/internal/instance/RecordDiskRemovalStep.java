package io.skiff.core.internal.instance;

import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kind {@value #KIND}, the first step of a disk removal: the Core's record loses the disk (what it was is
 * recorded, with how many disks are left). Undo: the disk goes back into the record at its place, unless the cell has
 * already removed it (the Core stopped while the cell was removing, and the cell finished): then the volume is gone,
 * nothing can bring it back, and the record stays as the cell is. The cell is asked for its last disk before the
 * removal; a cell that names fewer disks has removed one. A cell that cannot be asked is taken to still have the disk
 * (a removal fails whole on the cell until its last act).
 */
final class RecordDiskRemovalStep extends StepKind<RecordDiskRemovalStep.Data> {
    static final String KIND = "instance.disk.unrecord";
    private static final Logger LOG = LoggerFactory.getLogger(RecordDiskRemovalStep.class);

    /**
     * @param disk the removed disk's index (key {@code disk})
     * @param disksLeft how many disks the record has without it (key {@code disks})
     * @param removed what the removed disk was (keys {@code sizeBytes}, {@code storagePool}, {@code imageId},
     *     {@code cloneMode})
     */
    record Data(String instance, Integer disk, Integer disksLeft, DiskSpec removed) {
        static final String DISKS = "disks";
        static final String SIZE_BYTES = "sizeBytes";
        static final String STORAGE_POOL = "storagePool";
        static final String IMAGE_ID = "imageId";
        static final String CLONE_MODE = "cloneMode";

        static Data read(Map<String, String> data) {
            Long size = StepData.toLong(data.get(SIZE_BYTES));
            return new Data(data.get(StepTarget.INSTANCE), StepData.toInt(data.get(AddDiskStep.Data.DISK)),
                    StepData.toInt(data.get(DISKS)), size == null ? null : new DiskSpec(size,
                    data.get(STORAGE_POOL), data.get(IMAGE_ID), data.get(CLONE_MODE)));
        }

        void writeTo(StepContext context) {
            StepData.put(context, StepTarget.INSTANCE, instance);
            StepData.put(context, AddDiskStep.Data.DISK, disk);
            StepData.put(context, DISKS, disksLeft);
            if (removed != null) {
                StepData.put(context, SIZE_BYTES, removed.sizeBytes());
                StepData.put(context, STORAGE_POOL, removed.storagePool());
                StepData.put(context, IMAGE_ID, removed.imageId());
                StepData.put(context, CLONE_MODE, removed.cloneMode());
            }
        }
    }

    private final InstanceRecords records;
    private final InstanceSettings settings;

    RecordDiskRemovalStep(InstanceRecords records, InstanceSettings settings) {
        super(KIND);
        this.records = records;
        this.settings = settings;
    }

    TaskStep step(String id, int disk) {
        return step("record removal", ctx -> settings.scheduler().locked(() -> {
            InstanceRecord now = records.require(id);
            List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
            DiskSpec removed = disks.remove(disk);
            new Data(id, disk, disks.size(), removed).writeTo(ctx);
            records.saveSpec(now, now.spec().withDisks(disks));
            return null;
        }));
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        String id = data.instance();
        if (id == null || data.disk() == null || data.disksLeft() == null || data.removed() == null) {
            return;
        }
        int disk = data.disk();
        int before = data.disksLeft() + 1;
        String cell = records.find(id).map(InstanceRecord::cellId).orElse(null);
        if (cell != null) {
            try {
                settings.calls().volumes(cell).diskUsage(new DiskUsageRequest(id, before - 1));
            } catch (SkiffException e) {
                if (CellCalls.NO_SUCH_DISK.equals(e.code())) {
                    // the disk that was the last one is not there any more
                    LOG.warn("instance {}: cell {} had already removed data disk {} (its volume is deleted); the "
                            + "removal stays", id, cell, disk);
                    return;
                }
                LOG.warn("instance {}: cannot ask cell {} for its disks ({}); data disk {} goes back in the record",
                        id, cell, e.getMessage(), disk);
            }
        }
        settings.scheduler().locked(() -> {
            records.find(id).ifPresent(now -> {
                List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                if (disks.size() == data.disksLeft() && disk <= disks.size()) {
                    disks.add(disk, data.removed());
                    records.saveSpec(now, now.spec().withDisks(disks));
                    LOG.info("instance {} ({}): data disk {} back in the definition", now.spec().name(), id, disk);
                }
            });
            return null;
        });
    }

}
