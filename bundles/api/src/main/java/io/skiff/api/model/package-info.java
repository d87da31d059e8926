/**
 * Skiff public API: model. Semantically versioned; vendors compile against it.
 *
 * <p>2.0: {@link io.skiff.api.model.InstanceSpec#cores()} and {@link io.skiff.api.model.InstanceSpec#memoryBytes()}
 * are {@code Integer} and {@code Long}, {@code null} in a create request that leaves them to the Core's defaults
 * ({@link io.skiff.api.model.InstanceDefaults}).
 *
 * <p>2.1: {@link io.skiff.api.model.InstanceState#MIGRATING}, and {@link io.skiff.api.model.CellStatus#DUPLICATE_NAME},
 * the status of a cell whose node name a second member of the domain uses.
 *
 * <p>2.2: {@link io.skiff.api.model.Cell#migrationTls()}, where the cell stands with migration TLS.
 *
 * <p>2.3: {@link io.skiff.api.model.InstanceSpec#restartPolicy()}, and {@link io.skiff.api.model.InstanceEvent}, one
 * entry of an instance's events; {@link io.skiff.api.model.ComputePool#failover()}, whether a lost cell's instances
 * are started elsewhere; {@link io.skiff.api.model.Cell#lostAt()}; {@link io.skiff.api.model.InstanceState#UNKNOWN},
 * an instance whose cell is lost.
 *
 * <p>2.4: {@link io.skiff.api.model.InstanceFilter}, which instances a list asks for.
 *
 * <p>2.6: {@link io.skiff.api.model.InstanceSpec#labels()}, an instance's labels, {@link
 * io.skiff.api.model.InstanceFilter#labels()}, the selectors a list filters by, and {@link io.skiff.api.model.Labels},
 * their rules.
 */
@org.osgi.annotation.versioning.Version("2.6.0")
package io.skiff.api.model;
