package io.skiff.hypervisor.libvirt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Skiff hypervisor (libvirt)",
        description = "The Hypervisor provider on libvirt: which libvirtd to drive and how guests are accelerated")
public @interface LibvirtHypervisorConfig {

    @AttributeDefinition(description = "libvirt connection URI of this host's libvirtd")
    String uri() default "qemu:///system";

    @AttributeDefinition(description = "auto: KVM only when a probe guest really runs under KVM, else TCG; "
            + "kvm: always KVM (error when the host has none); tcg: always TCG (software emulation)",
            options = {@Option(value = "auto"), @Option(value = "kvm"), @Option(value = "tcg")})
    String accel() default "auto";

    @AttributeDefinition(description = "How long each probe guest (accel=auto: one under KVM, one under TCG) may take to finish (seconds)")
    int probeTimeoutSeconds() default 10;

    @AttributeDefinition(required = false, description = "File that keeps the probe's decision (accel=auto) for this"
            + " host and QEMU version, so that a restart does not probe again; empty: "
            + "<karaf.data>/skiff/cell/accelerator.properties")
    String acceleratorFile() default "";
}
