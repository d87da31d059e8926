/**
 * Skiff public API: the messages between the Core and its Cells (bodies of cluster transport messages).
 *
 * <p>0.9: {@link io.skiff.api.cell.CellInstanceSpec#restartPolicy()} and {@link io.skiff.api.cell.InstanceRestart};
 * {@link io.skiff.api.cell.CellInstanceSpec#fenceAfterSeconds()}, the self-fencing of failover pools, held while the
 * Core stops on purpose ({@link io.skiff.api.cell.CellProtocol#CORE_STOPPING},
 * {@link io.skiff.api.cell.CellProtocol#CORE_STARTED}).
 *
 * <p>0.10: {@link io.skiff.api.cell.CellReplies#of}, a reply without waiting for it.
 */
@org.osgi.annotation.versioning.Version("0.10.0")
package io.skiff.api.cell;
