package io.skiff.api.model;

/**
 * What a user or group holds (or asks for), compared against a {@link Quota}.
 *
 * @param instances number of instances
 * @param cores virtual cores
 * @param memoryBytes memory in bytes
 * @param diskBytes disk in bytes
 */
public record ResourceUsage(int instances, int cores, long memoryBytes, long diskBytes) {

    public static final ResourceUsage NONE = new ResourceUsage(0, 0, 0, 0);

    public ResourceUsage plus(ResourceUsage o) {
        return new ResourceUsage(instances + o.instances, cores + o.cores, memoryBytes + o.memoryBytes,
                diskBytes + o.diskBytes);
    }

    /** @return what is left when {@code o} is taken away (since 2.6 of this package) */
    public ResourceUsage minus(ResourceUsage o) {
        return new ResourceUsage(instances - o.instances, cores - o.cores, memoryBytes - o.memoryBytes,
                diskBytes - o.diskBytes);
    }
}
