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
 * @param consoleListen address the VNC server of the domain listens on (the port is chosen by the hypervisor),
 *     {@code null} for loopback
 * @param consolePassword the VNC password (at most 8 characters, never logged), {@code null} for none
 * @param qos CPU priority, disk and network limits, or {@code null} for none
 * @param mediaDrive the instance's CD-ROM drive for media, after all {@code disks} (its {@code path} is
 *     {@code null} when it is empty), or {@code null} for none
 * @param bootFrom {@code cdrom}: the media drive boots first, then the first disk; {@code disk} or {@code null}:
 *     the first disk, then CD-ROMs
 */
public record DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                         List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                         String consoleListen, String consolePassword, io.skiff.api.model.Qos qos,
                         DiskAttachment mediaDrive, String bootFrom) {

    /** Without a media drive. */
    public DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                      List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                      String consoleListen, String consolePassword, io.skiff.api.model.Qos qos) {
        this(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath, consoleListen,
                consolePassword, qos, null, null);
    }

    /** Without QoS. */
    public DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                      List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                      String consoleListen, String consolePassword) {
        this(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath, consoleListen,
                consolePassword, null);
    }

    /** A domain whose VNC server listens on loopback without a password. */
    public DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                      List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath) {
        this(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath, null, null);
    }

    @Override
    public String toString() {
        // the VNC password stays out of logs
        return "DomainSpec[instanceId=" + instanceId + ", name=" + name + ", cores=" + cores + ", memoryBytes="
                + memoryBytes + ", devices=" + devices + ", disks=" + disks + ", nics=" + nics + ", serialLogPath="
                + serialLogPath + ", consoleListen=" + consoleListen + ", consolePassword="
                + (consolePassword == null ? "none" : "***") + ", qos=" + qos + ", mediaDrive=" + mediaDrive
                + ", bootFrom=" + bootFrom + "]";
    }
}
