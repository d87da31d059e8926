/**
 * Skiff public API: service. Semantically versioned; vendors compile against it.
 *
 * <p>2.3: {@link io.skiff.api.service.InstanceEventService}, an instance's events from the operation log, and
 * a {@code modify} of {@link io.skiff.api.service.InstanceService} that also changes the restart policy (a default
 * method); {@link io.skiff.api.service.ComputePoolService#update(String, String, Boolean)} turns a pool's failover
 * on or off.
 */
@org.osgi.annotation.versioning.Version("2.5.0")
package io.skiff.api.service;
