/**
 * Skiff public API: the messages between the Core and its Cells (bodies of cluster transport messages).
 *
 * <p>0.9: {@link io.skiff.api.cell.CellInstanceSpec#restartPolicy()} and {@link io.skiff.api.cell.InstanceRestart}.
 */
@org.osgi.annotation.versioning.Version("0.9.0")
package io.skiff.api.cell;
