package io.skiff.api.spi;

import java.util.List;

/**
 * Everything a hypervisor needs to define an instance's domain.
 *
 * @param instanceId the instance (the domain is named after it and tagged with it)
 * @param name the instance's display name
 * @param cores virtual CPUs
 * @param memoryBytes guest memory
 * @param devices the guest-OS device profile
 * @param disks disks in boot order: system disk first
 * @param nics network interfaces
 * @param serialLogPath file that receives the guest's serial console
 */
public record DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                         List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath) {
}
