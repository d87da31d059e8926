/**
 * Skiff public API: service. Semantically versioned; vendors compile against it.
 *
 * <p>2.3: {@link io.skiff.api.service.InstanceEventService}, an instance's events from the operation log, and
 * a {@code modify} of {@link io.skiff.api.service.InstanceService} that also changes the restart policy (a default
 * method); {@link io.skiff.api.service.ComputePoolService#update(String, String, Boolean)} turns a pool's failover
 * on or off.
 *
 * <p>2.6: {@link io.skiff.api.service.InstanceService#setLabels}, an instance's labels replaced (a default method);
 * {@link io.skiff.api.service.Pager#foreignCursor()}; {@link io.skiff.api.service.MetricsService}, the Core's metrics
 * for the shell.
 */
@org.osgi.annotation.versioning.Version("2.6.0")
package io.skiff.api.service;
