/**
 * Shared support for Skiff's libvirt-based providers (hypervisor, storage, snapshots): one self-healing connection
 * per provider, libvirt errors as {@code SkiffException}s, and the naming of Skiff's domains.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.skiff.libvirt;
