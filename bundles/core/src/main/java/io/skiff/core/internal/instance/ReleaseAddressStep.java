package io.skiff.core.internal.instance;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.task.TaskStep;

import java.util.Map;
import java.util.Optional;

/**
 * The kind {@value #KIND}: releases the address bound to an instance that is being deleted, recording it first. Undo:
 * the recorded address is bound again (it is still free unless someone took it since). Data: {@link AddressHold}.
 */
final class ReleaseAddressStep extends StepKind<AddressHold> {
    static final String KIND = "address.release";

    private final InstanceProviders providers;

    ReleaseAddressStep(InstanceProviders providers) {
        super(KIND);
        this.providers = providers;
    }

    TaskStep step(String id) {
        return step("release address", ctx -> {
            AddressPoolProvider provider = providers.addressPoolsOrNull();
            Optional<AddressBinding> b = provider == null ? Optional.empty() : provider.bindingOf(id);
            if (b.isPresent()) {
                new AddressHold(id, b.get().poolId(), b.get().address()).writeTo(ctx);
                provider.release(b.get().poolId(), id);
            }
        });
    }

    @Override
    AddressHold read(Map<String, String> data) {
        return AddressHold.read(data);
    }

    @Override
    void undo(AddressHold data) {
        if (data.addressPool() != null && data.instance() != null && data.address() != null) {
            providers.addressPools().allocate(data.addressPool(), data.instance(), data.address());
        }
    }
}
