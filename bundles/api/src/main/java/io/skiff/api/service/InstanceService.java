package io.skiff.api.service;

import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;

import java.util.List;

/**
 * The instance life cycle. Every operation that touches a cell runs as a task; the methods return the
 * queued task (whose resources include {@code instance:<id>}) and fail fast, before queuing, on bad input.
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceService {

    List<InstanceStatus> list();

    /** @param idOrName instance id or name */
    InstanceStatus get(String idOrName);

    /** Places and creates an instance and starts it. */
    TaskInfo create(InstanceSpec spec, String user);

    TaskInfo start(String idOrName, String user);

    /** Graceful ACPI shutdown with a time-out, then forced; {@code force} skips the graceful part. */
    TaskInfo stop(String idOrName, boolean force, String user);

    TaskInfo restart(String idOrName, String user);

    /** Deletes the instance with its domain and volumes; a running one only with {@code force}. */
    TaskInfo delete(String idOrName, boolean force, String user);

    /** Changes name, cores or memory of a stopped instance ({@code null} keeps a value). */
    InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes);

    /** @return the tail of the instance's serial console log, at most {@code maxBytes} */
    String consoleLog(String idOrName, int maxBytes);

    /**
     * Asks the instance's cell where its VNC server listens.
     *
     * @return address, port and password of the running instance's VNC server
     * @throws SkiffException {@code CONFLICT} when the instance is not running, {@code UNAVAILABLE} when the
     *     implementation cannot tell
     */
    default io.skiff.api.spi.ConsoleEndpoint consoleEndpoint(String idOrName) {
        throw SkiffException.unavailable("this instance service cannot locate consoles");
    }

    /**
     * Moves the instance to another address of its address pool: a task that rebinds the address and gives
     * the instance's cell the new lease (the guest takes it at its next DHCP renewal or boot).
     */
    default TaskInfo rebindAddress(String idOrName, String address, String user) {
        throw SkiffException.unavailable("this instance service cannot move addresses");
    }

    /**
     * Resizes one disk of an instance. A disk grows running (live: the guest sees the new size at once) or stopped;
     * it shrinks only stopped ({@code CONFLICT instance} otherwise) and never below where its data ends
     * ({@code INVALID sizeBytes}, asked of the cell before anything changes). The same size is refused too.
     *
     * @param disk index of the disk, 0 = system disk
     */
    default TaskInfo resizeDisk(String idOrName, int disk, long sizeBytes, String user) {
        throw SkiffException.unavailable("this instance service cannot resize disks");
    }

    /**
     * Adds an empty data disk as the instance's last disk: hot-plugged when it runs, in its definition otherwise.
     *
     * @param storagePool the cell's storage pool, {@code null} for its default
     */
    default TaskInfo addDisk(String idOrName, long sizeBytes, String storagePool, String user) {
        throw SkiffException.unavailable("this instance service cannot add disks");
    }

    /**
     * Compacts disk {@code disk} of a stopped instance (unused space given back; a linked clone stays linked). The
     * task's message says the bytes on disk before and after.
     */
    default TaskInfo compactDisk(String idOrName, int disk, String user) {
        throw SkiffException.unavailable("this instance service cannot compact disks");
    }

    /**
     * Removes a data disk (index 1 or more) and deletes its volume: detached live when the instance runs.
     */
    default TaskInfo removeDisk(String idOrName, int disk, String user) {
        throw SkiffException.unavailable("this instance service cannot remove disks");
    }

    /**
     * Builds a disk image from a stopped instance's system disk: the cell copies it into a standalone qcow2 and
     * uploads it to the catalogue, as a task whose progress follows the upload.
     *
     * @param imageName the new image's unique name
     * @param tags its tags
     */
    default TaskInfo captureImage(String idOrName, String imageName, java.util.List<String> tags, String user) {
        throw SkiffException.unavailable("this instance service cannot build images");
    }

    /**
     * The instance's snapshots, parents before children (asks its cell).
     *
     * @throws SkiffException {@code UNAVAILABLE} when the implementation or the cell has no snapshot provider
     */
    default List<io.skiff.api.model.Snapshot> snapshots(String idOrName) {
        throw SkiffException.unavailable("this instance service has no snapshots");
    }

    /**
     * Takes a snapshot of a stopped or running instance (with its memory when running).
     *
     * @throws SkiffException {@code CONFLICT} (field {@code name}) when the instance has a snapshot of that name
     */
    default TaskInfo createSnapshot(String idOrName, String name, String description, String user) {
        throw SkiffException.unavailable("this instance service has no snapshots");
    }

    /**
     * Returns the instance to a snapshot (its disks, and its memory when the snapshot was taken running).
     *
     * @throws SkiffException {@code NOT_FOUND} (field {@code snapshot}) when this instance has no such snapshot
     */
    default TaskInfo revertSnapshot(String idOrName, String name, String user) {
        throw SkiffException.unavailable("this instance service has no snapshots");
    }

    /**
     * Deletes a snapshot; its children stay valid.
     *
     * @throws SkiffException {@code NOT_FOUND} (field {@code snapshot}) when this instance has no such snapshot
     */
    default TaskInfo deleteSnapshot(String idOrName, String name, String user) {
        throw SkiffException.unavailable("this instance service has no snapshots");
    }

    /**
     * Changes an instance's QoS: stored and written into its definition; applied to the running guest where the
     * hypervisor can, otherwise at its next start (the answer says which).
     *
     * @throws SkiffException {@code INVALID} naming the field ({@code qos.cpuPriority}, {@code qos.diskReadIops}...)
     *     when a value is out of range
     */
    default io.skiff.api.model.QosChange setQos(String idOrName, io.skiff.api.model.Qos qos) {
        throw SkiffException.unavailable("this instance service has no QoS");
    }

    /**
     * Sets a user's password inside the running guest through the QEMU guest agent; the Core hashes it first.
     *
     * @throws SkiffException {@code CONFLICT} when the instance does not run, {@code UNAVAILABLE} when its guest
     *     does not run the agent
     */
    default String resetGuestPassword(String idOrName, String user, String password) {
        throw SkiffException.unavailable("this instance service cannot reach guest agents");
    }

    /**
     * Changes the running guest's host name through the QEMU guest agent (and the seed for the next first boot).
     *
     * @throws SkiffException {@code CONFLICT} when the instance does not run, {@code UNAVAILABLE} when its guest
     *     does not run the agent
     */
    default String changeGuestHostname(String idOrName, String hostname) {
        throw SkiffException.unavailable("this instance service cannot reach guest agents");
    }

    /**
     * Reinstalls the instance's system disk from its original image, keeping its id, name, address and MAC, its
     * data disks and its seed (so the guest initialises again).
     *
     * @throws SkiffException {@code CONFLICT} when the system disk has no image or the instance has snapshots
     */
    default TaskInfo resetSystem(String idOrName, String user) {
        throw SkiffException.unavailable("this instance service cannot reset systems");
    }

    /**
     * Puts an ISO medium into the instance's media CD-ROM drive, replacing the one it holds: live when the instance
     * runs, in its definition otherwise.
     *
     * @param media medium id or name
     * @throws SkiffException {@code NOT_FOUND} (field {@code media}) for an unknown medium
     */
    default TaskInfo insertMedia(String idOrName, String media, String user) {
        throw SkiffException.unavailable("this instance service cannot change media");
    }

    /**
     * Empties the instance's media CD-ROM drive.
     *
     * @throws SkiffException {@code CONFLICT} (field {@code media}) when the drive is empty
     */
    default TaskInfo ejectMedia(String idOrName, String user) {
        throw SkiffException.unavailable("this instance service cannot change media");
    }

    /**
     * Changes what a stopped instance boots from: {@code disk} or {@code cdrom} (its media drive first).
     *
     * @throws SkiffException {@code INVALID} (field {@code bootFrom}) for another value, {@code CONFLICT} when the
     *     instance runs
     */
    default InstanceStatus setBootFrom(String idOrName, String bootFrom) {
        throw SkiffException.unavailable("this instance service cannot change boot devices");
    }
}
