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
 * @param leaseFile the instance's lease file (it exists, empty) in a directory every host of the pool shares and
 *     whose lock manager uses it as its lockspace: the domain holds the lease while it runs, so that no other host
 *     starts a second copy; {@code null} for none
 */
public record DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                         List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                         String consoleListen, String consolePassword, io.skiff.api.model.Qos qos,
                         DiskAttachment mediaDrive, String bootFrom, String leaseFile) {

    /** Without a lease. */
    public DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                      List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                      String consoleListen, String consolePassword, io.skiff.api.model.Qos qos,
                      DiskAttachment mediaDrive, String bootFrom) {
        this(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath, consoleListen,
                consolePassword, qos, mediaDrive, bootFrom, null);
    }

    /** The same domain holding the lease of {@code file} ({@code null}: none). */
    public DomainSpec withLeaseFile(String file) {
        return new DomainSpec(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath,
                consoleListen, consolePassword, qos, mediaDrive, bootFrom, file);
    }

    /** Without a media drive. */
    public DomainSpec(String instanceId, String name, int cores, long memoryBytes, DeviceProfile devices,
                      List<DiskAttachment> disks, List<NicAttachment> nics, String serialLogPath,
                      String consoleListen, String consolePassword, io.skiff.api.model.Qos qos) {
        this(instanceId, name, cores, memoryBytes, devices, disks, nics, serialLogPath, consoleListen,
                consolePassword, qos, null, null, null);
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
                + ", bootFrom=" + bootFrom + ", leaseFile=" + leaseFile + "]";
    }
}
