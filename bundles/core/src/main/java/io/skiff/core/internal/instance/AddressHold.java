package io.skiff.core.internal.instance;

import io.skiff.api.task.StepContext;

import java.util.Map;

/**
 * The step data of an address an instance holds in an address pool (keys {@code instance}, {@code addressPool},
 * {@code address}), for the steps that allocate or release it.
 */
record AddressHold(String instance, String addressPool, String address) {
    static final String ADDRESS_POOL = "addressPool";
    static final String ADDRESS = "address";

    static AddressHold read(Map<String, String> data) {
        return new AddressHold(data.get(StepTarget.INSTANCE), data.get(ADDRESS_POOL), data.get(ADDRESS));
    }

    void writeTo(StepContext context) {
        StepData.put(context, StepTarget.INSTANCE, instance);
        StepData.put(context, ADDRESS_POOL, addressPool);
        StepData.put(context, ADDRESS, address);
    }
}
