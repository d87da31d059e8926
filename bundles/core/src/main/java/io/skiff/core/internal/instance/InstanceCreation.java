package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.CellService;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Creates instances: the request is checked and completed, the quota and the placement are checked before anything is
 * queued (and again, under the scheduler's lock, by the first step), then one all-or-nothing task places and reserves
 * the instance, binds its address, has its cell create the volumes, define the domain and start it, and marks it
 * running. A failure anywhere undoes every step before it (see each step's kind).
 */
final class InstanceCreation {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceCreation.class);

    private final InstanceRequests requests;
    private final InstanceRecords records;
    private final InstanceAccess access;
    private final InstanceQuotas quotas;
    private final InstanceSettings settings;
    private final InstanceProviders providers;
    private final CellService cells;
    private final TaskEngine engine;
    private final ReserveInstanceStep reserve;
    private final AllocateAddressStep allocateAddress;
    private final CellInstanceStep createVolumes;
    private final CellInstanceStep defineDomain;
    private final CellInstanceStep startDomain;
    private final MarkStateStep markState;

    InstanceCreation(InstanceRequests requests, InstanceRecords records, InstanceAccess access, InstanceQuotas quotas,
                     InstanceSettings settings, InstanceProviders providers, CellService cells, TaskEngine engine,
                     InstanceSteps steps) {
        this.requests = requests;
        this.records = records;
        this.access = access;
        this.quotas = quotas;
        this.settings = settings;
        this.providers = providers;
        this.cells = cells;
        this.engine = engine;
        this.reserve = steps.reserveInstance();
        this.allocateAddress = steps.allocateAddress();
        this.createVolumes = steps.createVolumes();
        this.defineDomain = steps.defineDomain();
        this.startDomain = steps.startDomain();
        this.markState = steps.markState();
    }

    TaskInfo create(InstanceSpec requested, AuthenticatedUser caller) {
        access.requireVisibleSources(requested, caller);
        InstanceSpec spec = requests.create(requested);
        String user = caller.name();
        String group = access.groupOf(caller);
        // fail fast when over quota or nothing fits; the reservation step checks both again under the lock
        quotas.check(user, group, spec, records);
        settings.scheduler().place(spec, cells.list(), records::usedOnCell,
                providers.policy(settings.config().placementPolicy()));
        String id = UUID.randomUUID().toString();
        List<TaskStep> steps = List.of(
                reserve.step(id, spec, user, group),
                allocateAddress.step(id, spec),
                createVolumes.step(id, spec),
                defineDomain.step(id, spec),
                startDomain.step(id, spec),
                markState.settle(id, InstanceState.RUNNING));
        TaskInfo task = engine.submit(new TaskRequest("instance.create", Set.of("instance:" + id,
                "instance-name:" + spec.name()), user, steps));
        LOG.info("instance {} ({}) create queued as task {}", spec.name(), id, task.id());
        return task;
    }
}
