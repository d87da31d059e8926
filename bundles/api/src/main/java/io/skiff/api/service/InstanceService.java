package io.skiff.api.service;

import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;

import java.util.List;

/**
 * The instance life cycle and what can be read about an instance. Every operation that touches a cell runs as a
 * task; the methods return the queued task (whose resources include {@code instance:<id>}) and fail fast, before
 * queuing, on bad input. The other capabilities of instances are services of their own: {@link InstanceDiskService},
 * {@link InstanceImageService}, {@link InstanceAddressService}, {@link InstanceMediaService}, {@link SnapshotService},
 * {@link QosService}, {@link GuestAgentService} and {@link BatchService} (since version 1.0 of this package).
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceService {

    List<InstanceStatus> list();

    /** @param idOrName instance id or name */
    InstanceStatus get(String idOrName);

    /**
     * Places and creates an instance and starts it. What the spec leaves out ({@code null} cores, memory, profile,
     * ...) is filled in by the Core: see {@link #defaults()}.
     */
    TaskInfo create(InstanceSpec spec, String user);

    /**
     * @return what a create fills in for what it leaves out, as the Core's settings say now (since version 1.2 of
     *     this package)
     */
    InstanceDefaults defaults();

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
     * @throws SkiffException {@code CONFLICT} when the instance is not running
     */
    io.skiff.api.spi.ConsoleEndpoint consoleEndpoint(String idOrName);
}
