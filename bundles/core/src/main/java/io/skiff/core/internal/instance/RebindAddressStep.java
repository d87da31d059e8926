package io.skiff.core.internal.instance;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;

import java.util.Map;

/**
 * The kind {@value #KIND}: moves an instance to another address of its address pool, recording the one it had. Undo:
 * the instance goes back to that address.
 */
final class RebindAddressStep extends StepKind<RebindAddressStep.Data> {
    static final String KIND = "address.rebind";

    /** @param previous the address the instance had before (key {@code previous}) */
    record Data(String instance, String addressPool, String previous) {
        static final String PREVIOUS = "previous";

        static Data read(Map<String, String> data) {
            return new Data(data.get(StepTarget.INSTANCE), data.get(AddressHold.ADDRESS_POOL), data.get(PREVIOUS));
        }

        void writeTo(StepContext context) {
            StepData.put(context, StepTarget.INSTANCE, instance);
            StepData.put(context, AddressHold.ADDRESS_POOL, addressPool);
            StepData.put(context, PREVIOUS, previous);
        }
    }

    private final InstanceProviders providers;

    RebindAddressStep(InstanceProviders providers) {
        super(KIND);
        this.providers = providers;
    }

    TaskStep step(String id, AddressBinding held, String address) {
        return step("rebind address", ctx -> {
            new Data(id, held.poolId(), held.address()).writeTo(ctx);
            providers.addressPools().rebind(held.poolId(), id, address);
        });
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        if (data.addressPool() != null && data.instance() != null && data.previous() != null) {
            providers.addressPools().rebind(data.addressPool(), data.instance(), data.previous());
        }
    }
}
