package io.skiff.api.spi;

import java.time.Duration;
import java.util.List;

/**
 * Drives the virtual machines of one host. Domains are named after instance ids and tagged as Skiff's;
 * domains Skiff does not own are never listed, changed or removed. Registered with {@code skiff.provider}
 * (e.g. {@code libvirt}). Failures are reported as {@code SkiffException}s with a clear message.
 */
public interface Hypervisor {

    HostCapabilities capabilities();

    /** Defines (persistently) or redefines the domain of an instance. */
    void define(DomainSpec spec);

    void start(String instanceId);

    /**
     * Asks the guest to shut down (ACPI) and forces it off after {@code timeout}.
     *
     * @return whether the guest shut down by itself
     */
    boolean shutdown(String instanceId, Duration timeout);

    /** Forces the domain off; tolerates one that is not running. */
    void destroy(String instanceId);

    /** Removes the domain's definition; tolerates a domain that does not exist. */
    void undefine(String instanceId);

    /** @return the domain's state, {@code UNDEFINED} when there is none */
    DomainState state(String instanceId);

    /** Starts the domain when the host starts. */
    void setAutostart(String instanceId, boolean autostart);

    /** @return the Skiff-owned domains of this host */
    List<DomainInfo> domains();

    /** @return the counters of a running domain */
    DomainStats stats(String instanceId);

    /**
     * @return the TCP port of the running domain's VNC server (chosen by the hypervisor), or {@code -1} when the
     *     domain does not run or has no VNC server
     */
    default int consolePort(String instanceId) {
        return -1;
    }

    /**
     * Grows a disk of a running domain: the hypervisor grows the image and tells the guest (libvirt
     * {@code virDomainBlockResize}).
     *
     * @param diskPath the disk's source path as defined
     * @param sizeBytes the new virtual size
     * @throws io.skiff.api.service.SkiffException when the domain does not run or the disk cannot grow
     */
    default void resizeDisk(String instanceId, String diskPath, long sizeBytes) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot resize disks of running domains");
    }

    /**
     * Applies an instance's QoS to its running domain where the hypervisor can (CPU shares and quota, disk I/O
     * limits, interface bandwidth); the definition carries it for the next start either way.
     *
     * @return what was applied live, in words, or an empty list when the domain does not run
     * @throws io.skiff.api.service.SkiffException {@code UNAVAILABLE} when this hypervisor cannot change QoS live
     */
    default java.util.List<String> applyQosLive(String instanceId, io.skiff.api.model.Qos qos) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot change QoS of a running domain");
    }

    /**
     * Sends one command to the QEMU guest agent inside a running guest.
     *
     * @param command the agent's JSON command, e.g. {@code {"execute":"guest-ping"}}
     * @return the agent's JSON answer
     * @throws io.skiff.api.service.SkiffException {@code CONFLICT} (field {@code guestAgent}) when the guest does not
     *     run the agent, or the domain does not run
     */
    default String guestAgentCommand(String instanceId, String command, int timeoutSeconds) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot talk to guest agents");
    }

    /**
     * Attaches a disk to a running domain for as long as it runs (the persistent definition is changed by
     * {@link #define}). The hypervisor picks the first target name of the profile's disk bus that the running
     * domain does not use.
     *
     * @return the target the guest sees it as (e.g. {@code vdb})
     * @throws io.skiff.api.service.SkiffException when the domain does not run or the bus cannot hot-plug
     */
    default String attachDisk(String instanceId, DiskAttachment disk, DeviceProfile devices) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot attach disks to running domains");
    }

    /**
     * Detaches the disk whose source is {@code diskPath} from a running domain and waits until the guest has
     * released it.
     *
     * @throws io.skiff.api.service.SkiffException when the domain does not run, has no such disk, or the guest does
     *     not release it in time
     */
    default void detachDisk(String instanceId, String diskPath, java.time.Duration timeout) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot detach disks from running domains");
    }

    /**
     * Changes the medium in the instance's media CD-ROM drive (see {@link DomainSpec#mediaDrive}): of the running
     * domain and its persistent definition, or of the definition alone when it does not run.
     *
     * @param isoPath the ISO to insert, or {@code null} to eject
     * @return {@code true} when the running domain was changed, {@code false} when only its definition
     * @throws io.skiff.api.service.SkiffException {@code CONFLICT} (field {@code media}) when the domain has no media
     *     drive
     */
    default boolean changeMedia(String instanceId, String isoPath) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot change media");
    }

    /**
     * Moves a running domain to another host while it runs and leaves it defined there (persistently); the source
     * keeps its (now inactive) definition until it is undefined. A stopped domain moves cold (with its disks when
     * {@link MigrationPlan#copyStorage}): it arrives defined and not running, and the guest runs on neither host. The
     * domain's snapshot metadata moves with it (the snapshots themselves stay inside the shared disks). On failure
     * the domain is here as before (running, or stopped) and the target has no domain.
     *
     * @param progress told of the job's progress while it runs (from another thread)
     * @throws io.skiff.api.service.SkiffException when copying its disks would lose its snapshots, or when the
     *     migration failed (with the hypervisor's reason)
     */
    default MigrationOutcome migrate(String instanceId, MigrationPlan plan,
                                     java.util.function.Consumer<MigrationProgress> progress) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot migrate domains");
    }

    /** Resumes a domain that is paused (e.g. left so by a failed migration); nothing when it is not. */
    default void resume(String instanceId) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot resume domains");
    }

    /**
     * Tells {@code listener} of every lifecycle change of this host's Skiff domains as it happens, until the
     * returned handle is closed. Calls come from the hypervisor's event thread; a listener must return quickly.
     *
     * @return the handle that stops the listening
     * @throws io.skiff.api.service.SkiffException {@code UNAVAILABLE} when this hypervisor cannot tell of lifecycle
     *     changes (the caller then polls {@link #state})
     * @since 1.5 of this package
     */
    default AutoCloseable watchLifecycle(java.util.function.Consumer<DomainLifecycleEvent> listener) {
        throw io.skiff.api.service.SkiffException.unavailable("this hypervisor cannot tell of lifecycle changes");
    }
}
