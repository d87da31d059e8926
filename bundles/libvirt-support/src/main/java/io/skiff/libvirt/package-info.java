/**
 * Shared support for Skiff's libvirt-based providers (hypervisor, storage, snapshots): one self-healing connection
 * per provider, libvirt errors as {@code SkiffException}s, the naming of Skiff's domains, and the XML libvirt takes
 * and gives ({@link io.skiff.libvirt.XmlWriter}, {@link io.skiff.libvirt.XmlDocuments}).
 * <p>
 * Not an exported package: each provider bundle embeds a private copy (bnd {@code -conditionalpackage}), so nothing
 * here is API and nothing here may keep state that must be shared between bundles.
 */
package io.skiff.libvirt;
