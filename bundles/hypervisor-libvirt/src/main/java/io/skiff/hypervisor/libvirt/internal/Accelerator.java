package io.skiff.hypervisor.libvirt.internal;

/**
 * How this host runs guests.
 *
 * @param name {@code kvm} or {@code tcg}, as reported in the host capabilities
 * @param domainType libvirt's domain type for it: {@code kvm} or {@code qemu}
 * @param reason why it was chosen, for the log and for admins
 */
record Accelerator(String name, String domainType, String reason) {

    static Accelerator kvm(String reason) {
        return new Accelerator("kvm", "kvm", reason);
    }

    static Accelerator tcg(String reason) {
        return new Accelerator("tcg", "qemu", reason);
    }
}
