package io.skiff.hypervisor.libvirt.internal;

import java.util.List;

/**
 * The images below a network disk's volume in its backing chain, top first. libvirt cannot read the qcow2 header of
 * an NFS file, so it leaves a network disk's backing files to QEMU, which opens them with its own uid rather than the
 * disk's {@code <identity>} and is refused files the storage backend created as root. The domain XML therefore
 * spells the chain out ({@code <backingStore type='network'>}, each layer with the identity).
 */
interface BackingChain {

    /** No chain is read: QEMU opens the backing files itself (XML tests, local files). */
    BackingChain NONE = path -> List.of();

    /**
     * One image below the volume.
     *
     * @param path its path or URL
     * @param format its format, e.g. {@code qcow2}
     */
    record Layer(String path, String format) {
    }

    /** @return the backing images of the volume at {@code path}, the one it names first; empty for a standalone one */
    List<Layer> below(String path);
}
