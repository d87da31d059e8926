package io.skiff.api.model;

/**
 * What the Core fills into a create request that leaves a field out ({@link InstanceSpec}'s {@code null} fields):
 * one set of defaults for REST, the shell and the portal alike. Cores and memory come from the Core's settings
 * ({@code defaultCores}, {@code defaultMemoryMib} of {@code etc/io.skiff.core.instances.cfg}); edges show them (the
 * portal pre-fills its form with them) but never fill them in themselves.
 *
 * @param cores virtual CPUs of an instance whose create names none
 * @param memoryBytes guest memory of an instance whose create names none
 * @param profile guest-OS device profile of an instance whose create names none
 */
public record InstanceDefaults(int cores, long memoryBytes, String profile) {
}
