package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.service.CellService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.StoragePoolRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * The kind {@value #KIND}, the first step of a create: places the instance and writes its record ({@code CREATING})
 * under the scheduler's lock, after checking again that the name is free and the quota allows it, with the storage
 * pool the Core defines that its disks go to (if any). Undo: the record is
 * removed (and the instance tombstoned). Data: {@link StepTarget}, the instance before placing, the cell after.
 */
final class ReserveInstanceStep extends StepKind<StepTarget> {
    static final String KIND = "instance.reserve";
    private static final Logger LOG = LoggerFactory.getLogger(ReserveInstanceStep.class);

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final InstanceProviders providers;
    private final CellService cells;
    private final InstanceQuotas quotas;
    private final StoragePoolRecords storagePools;

    ReserveInstanceStep(InstanceRecords records, InstanceSettings settings, InstanceProviders providers,
                        CellService cells, InstanceQuotas quotas, StoragePoolRecords storagePools) {
        super(KIND);
        this.storagePools = storagePools;
        this.records = records;
        this.settings = settings;
        this.providers = providers;
        this.cells = cells;
        this.quotas = quotas;
    }

    TaskStep step(String id, InstanceSpec spec, String user, String group) {
        return step("place and reserve", ctx -> {
            new StepTarget(id, null).writeTo(ctx);
            settings.scheduler().placeAndReserve(spec, cells::list, () -> {
                if (records.nameTaken(spec.name())) {
                    throw SkiffException.conflict("name", "instance '" + spec.name() + "' already exists");
                }
                quotas.check(user, group, spec, records);
                return records::usedOnCell;
            }, providers.policy(settings.config().placementPolicy()), cell -> {
                new StepTarget(id, cell.id()).writeTo(ctx);
                Instant now = records.clock().instant();
                // the system disk's pool is where the create put every disk that named none
                records.save(new InstanceRecord(id, spec, cell.id(), user, group,
                        InstanceState.CREATING, null, ctx.taskId(), now, now)
                        .onStoragePool(storagePools.find(spec.disks().get(0).storagePool()).orElse(null)));
                LOG.info("instance {} ({}) placed on cell {}", spec.name(), id, cell.id());
            });
        });
    }

    @Override
    StepTarget read(Map<String, String> data) {
        return StepTarget.read(data);
    }

    @Override
    void undo(StepTarget data) {
        if (data.instance() != null) {
            records.remove(data.instance());
        }
    }
}
