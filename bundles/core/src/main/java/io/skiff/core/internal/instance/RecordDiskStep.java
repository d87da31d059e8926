package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kind {@value #KIND}, after {@link AddDiskStep}: the Core's record gains the added disk. Undo: the record loses
 * it again (only that one, only if it is there).
 */
final class RecordDiskStep extends StepKind<RecordDiskStep.Data> {
    static final String KIND = "instance.disk.record";
    private static final Logger LOG = LoggerFactory.getLogger(RecordDiskStep.class);

    /** @param disk the index of the recorded disk (key {@code disk}) */
    record Data(String instance, Integer disk) {
        static Data read(Map<String, String> data) {
            return new Data(data.get(StepTarget.INSTANCE), StepData.toInt(data.get(AddDiskStep.Data.DISK)));
        }

        void writeTo(StepContext context) {
            StepData.put(context, StepTarget.INSTANCE, instance);
            StepData.put(context, AddDiskStep.Data.DISK, disk);
        }
    }

    private final InstanceRecords records;
    private final InstanceSettings settings;

    RecordDiskStep(InstanceRecords records, InstanceSettings settings) {
        super(KIND);
        this.records = records;
        this.settings = settings;
    }

    TaskStep step(String id, long sizeBytes, String storagePool) {
        return step("record disk", ctx -> settings.scheduler().locked(() -> {
            InstanceRecord now = records.require(id);
            List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
            new Data(id, disks.size()).writeTo(ctx);
            disks.add(new DiskSpec(sizeBytes, storagePool, null, null));
            records.saveSpec(now, now.spec().withDisks(disks));
            LOG.info("instance {} ({}): data disk {} of {} bytes added", now.spec().name(), id, disks.size() - 1,
                    sizeBytes);
            settings.faults().check(KIND, now.spec().name());
            return null;
        }));
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        if (data.instance() == null || data.disk() == null) {
            return;
        }
        int disk = data.disk();
        settings.scheduler().locked(() -> {
            records.find(data.instance()).ifPresent(now -> {
                List<DiskSpec> disks = new ArrayList<>(now.spec().disks());
                if (disks.size() == disk + 1) {
                    disks.remove(disk);
                    records.saveSpec(now, now.spec().withDisks(disks));
                    LOG.info("instance {} ({}): data disk {} taken out of the definition again", now.spec().name(),
                            data.instance(), disk);
                }
            });
            return null;
        });
    }
}
