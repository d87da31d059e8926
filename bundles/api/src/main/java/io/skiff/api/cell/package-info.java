/**
 * Skiff public API: the messages between the Core and its Cells (bodies of cluster transport messages).
 */
@org.osgi.annotation.versioning.Version("0.8.0")
package io.skiff.api.cell;
