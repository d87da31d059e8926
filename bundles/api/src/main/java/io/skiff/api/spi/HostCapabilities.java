package io.skiff.api.spi;

import java.util.List;

/**
 * What a hypervisor host offers.
 *
 * @param hypervisor e.g. {@code QEMU 7.2.0}
 * @param accelerator {@code kvm} or {@code tcg}, as chosen by the {@code accel} setting
 * @param cpuCount logical CPUs
 * @param memoryBytes physical memory
 * @param machineTypes supported machine types
 */
public record HostCapabilities(String hypervisor, String accelerator, int cpuCount, long memoryBytes,
                               List<String> machineTypes) {
}
