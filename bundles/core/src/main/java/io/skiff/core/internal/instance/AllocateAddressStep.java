package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * The kind {@value #KIND}: binds an address of the instance's address pool (the one it asked for, or any free one).
 * Pool and holder are recorded before binding, so that the undo releases the binding even after a crash. Undo: the
 * binding is released. Data: {@link AddressHold}.
 */
final class AllocateAddressStep extends StepKind<AddressHold> {
    static final String KIND = "address.allocate";
    private static final Logger LOG = LoggerFactory.getLogger(AllocateAddressStep.class);

    private final InstanceProviders providers;
    private final InstanceSettings settings;

    AllocateAddressStep(InstanceProviders providers, InstanceSettings settings) {
        super(KIND);
        this.providers = providers;
        this.settings = settings;
    }

    TaskStep step(String id, InstanceSpec spec) {
        return step("allocate address", ctx -> {
            Optional<String> pool = providers.addressPoolOf(spec);
            if (pool.isEmpty()) {
                ctx.progress(100, "no address pool");
                return;
            }
            new AddressHold(id, pool.get(), null).writeTo(ctx);
            settings.faults().check(KIND);
            String address = providers.addressPools().allocate(pool.get(), id, spec.address());
            new AddressHold(id, pool.get(), address).writeTo(ctx);
            LOG.info("instance {} ({}): address {} of address pool {}", spec.name(), id, address, pool.get());
        });
    }

    @Override
    AddressHold read(Map<String, String> data) {
        return AddressHold.read(data);
    }

    @Override
    void undo(AddressHold data) {
        if (data.addressPool() != null && data.instance() != null) {
            providers.addressPools().release(data.addressPool(), data.instance());
        }
    }
}
