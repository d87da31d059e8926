package io.skiff.api.model;

/**
 * Limits on what a user or a group may hold at once; a {@code null} limit is unlimited.
 *
 * @param instances number of instances
 * @param cores virtual cores summed over the instances
 * @param memoryMiB memory summed over the instances, in MiB
 * @param diskGiB disk summed over the instances' disks, in GiB
 */
public record Quota(Integer instances, Integer cores, Long memoryMiB, Long diskGiB) {

    /** No limit at all. */
    public static final Quota UNLIMITED = new Quota(null, null, null, null);

    /** @return whether no limit is set */
    public boolean unlimited() {
        return instances == null && cores == null && memoryMiB == null && diskGiB == null;
    }
}
