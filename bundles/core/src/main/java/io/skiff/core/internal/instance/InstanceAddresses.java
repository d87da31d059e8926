package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.SkiffException;

import java.util.List;

/**
 * Moves an instance to another address of its address pool: the binding moves ({@link RebindAddressStep}, undone by
 * moving it back), then the instance's cell gets the new lease with the instance's definition.
 */
final class InstanceAddresses implements InstanceAddressService {
    private final InstanceRecords records;
    private final InstanceAccess access;
    private final InstanceProviders providers;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final CellSpecs specs;
    private final RebindAddressStep rebind;

    InstanceAddresses(InstanceRecords records, InstanceAccess access, InstanceProviders providers, InstanceTasks tasks,
                      InstanceSettings settings, CellSpecs specs, InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.providers = providers;
        this.tasks = tasks;
        this.settings = settings;
        this.specs = specs;
        this.rebind = steps.rebindAddress();
    }

    @Override
    public TaskInfo rebindAddress(String idOrName, String address, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        if (address == null || address.isEmpty()) {
            throw SkiffException.invalid("address", "address is required");
        }
        AddressBinding held = providers.addressPools().bindingOf(r.id()).orElseThrow(() -> SkiffException.conflict(
                "address", "instance '" + r.spec().name() + "' has no address to move"));
        if (!held.address().equals(address)) {
            providers.addressPools().checkAvailable(held.poolId(), address);
        }
        return tasks.submit("instance.rebind-address", r, caller.name(), List.of(rebind.step(r.id(), held, address),
                tasks.noUndo().step("give the cell the new lease", ctx -> {
                    InstanceRecord now = records.require(r.id());
                    StepTarget.record(ctx, records, r.id());
                    settings.calls().domains(now.cellId()).define(specs.of(now.id(), now.spec()));
                })));
    }
}
