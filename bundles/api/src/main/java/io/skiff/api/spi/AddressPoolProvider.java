package io.skiff.api.spi;

/** Hands out and takes back IPv4 addresses of address pools. */
public interface AddressPoolProvider {

    /**
     * @param poolId address pool
     * @param holder who takes the address (an instance id)
     * @param requested a specific address, or {@code null} for any free one
     * @return the allocated address
     */
    String allocate(String poolId, String holder, String requested);

    /** Gives an address back; tolerates one that is not allocated. */
    void release(String poolId, String address);
}
