package io.skiff.network.pool.internal;

/** State store types of the address pools. */
final class AddressPoolRecords {
    /** {@link io.skiff.api.model.AddressPool} by pool id. */
    static final String POOL = "address-pool";
    /** {@link io.skiff.api.model.AddressBinding} by {@code <pool id>/<address>}. */
    static final String BINDING = "address-binding";

    private AddressPoolRecords() {
    }

    static String bindingId(String poolId, String address) {
        return poolId + "/" + address;
    }
}
