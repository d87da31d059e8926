package io.skiff.api.service;

import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.model.TaskInfo;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The instance life cycle and what can be read about an instance. Every operation that touches a cell runs as a
 * task; the methods return the queued task (whose resources include {@code instance:<id>}) and fail fast, before
 * queuing, on bad input. The other capabilities of instances are services of their own: {@link InstanceDiskService},
 * {@link InstanceImageService}, {@link InstanceAddressService}, {@link InstanceMediaService}, {@link SnapshotService},
 * {@link QosService}, {@link GuestAgentService} and {@link BatchService} (since version 1.0 of this package).
 *
 * <p>Every method that takes the {@code caller} acts for that signed-in user and answers only about what it may
 * see ({@link IdentityService#canSee}; everything without an identity service): one it may not see is answered
 * exactly like one that does not exist ({@code NOT_FOUND}), and lists leave it out.
 * The methods without a caller ({@link #list()}, {@link #get(String)}, {@link #consoleEndpoint}) see every instance:
 * they are for the platform's own bundles (e.g. the console proxy, which a console ticket authorises), never for
 * answering a user (since version 2.0 of this package).
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceService {

    /**
     * The orders of instance pages: by {@code name} (the default), {@code createdAt} or {@code id}, each also
     * descending (since version 2.4 of this package).
     */
    Pager<InstanceStatus> ORDER = new Pager<>(InstanceStatus::id, "name", Map.of(
            "name", i -> i.spec().name(),
            "createdAt", i -> Pager.instantKey(i.createdAt()),
            "id", InstanceStatus::id));

    /** @return every instance, whoever owns it, sorted by name (for the platform's own use) */
    List<InstanceStatus> list();

    /** @return the instances the caller may see, sorted by name */
    List<InstanceStatus> list(AuthenticatedUser caller);

    /**
     * How many instances there are in each state, compute pool and cell, whoever owns them (for the platform's own
     * use, e.g. metrics): each key a filter naming those three parts, the value how many instances it matches. A Core
     * holding many instances counts them without building their statuses (since version 2.4 of this package).
     */
    default Map<InstanceFilter, Long> counts() {
        return list().stream().collect(Collectors.groupingBy(
                i -> new InstanceFilter(i.state(), i.spec().poolId(), i.cellId(), null, null), Collectors.counting()));
    }

    /**
     * One page of the instances the caller may see that match {@code filter}, in the order and after the cursor the
     * request names ({@link #ORDER}). A Core holding many instances answers it without building the others' statuses
     * (since version 2.4 of this package; this default cuts the page out of {@link #list(AuthenticatedUser)}).
     *
     * @throws SkiffException {@code INVALID sort} or {@code INVALID cursor}
     */
    default Page<InstanceStatus> page(InstanceFilter filter, PageRequest request, AuthenticatedUser caller) {
        return ORDER.page(list(caller).stream().filter(filter).toList(), request);
    }

    /**
     * @param idOrName instance id or name
     * @return the instance, whoever owns it (for the platform's own use)
     */
    InstanceStatus get(String idOrName);

    /**
     * @param idOrName instance id or name
     * @throws SkiffException {@code NOT_FOUND instance} when it does not exist or the caller may not see it
     */
    InstanceStatus get(String idOrName, AuthenticatedUser caller);

    /**
     * Places and creates an instance and starts it. What the spec leaves out ({@code null} cores, memory, profile,
     * ...) is filled in by the Core: see {@link #defaults()}.
     */
    TaskInfo create(InstanceSpec spec, AuthenticatedUser caller);

    /**
     * @return what a create fills in for what it leaves out, as the Core's settings say now (since version 1.2 of
     *     this package)
     */
    InstanceDefaults defaults();

    TaskInfo start(String idOrName, AuthenticatedUser caller);

    /** Graceful ACPI shutdown with a time-out, then forced; {@code force} skips the graceful part. */
    TaskInfo stop(String idOrName, boolean force, AuthenticatedUser caller);

    TaskInfo restart(String idOrName, AuthenticatedUser caller);

    /** Deletes the instance with its domain and volumes; a running one only with {@code force}. */
    TaskInfo delete(String idOrName, boolean force, AuthenticatedUser caller);

    /** Changes name, cores or memory of a stopped instance ({@code null} keeps a value). */
    InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes, AuthenticatedUser caller);

    /**
     * Changes name, cores or memory (of a stopped instance) and the restart policy ({@code never},
     * {@code on-failure} or {@code always}; running or stopped, its cell follows at once); {@code null} keeps a
     * value. All or nothing: a refused value changes nothing.
     *
     * @throws SkiffException {@code INVALID} naming {@code restartPolicy} for another policy; as
     *     {@link #modify(String, String, Integer, Long, AuthenticatedUser)} otherwise
     * @since 2.3 of this package
     */
    default InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes, String restartPolicy,
                                  AuthenticatedUser caller) {
        if (restartPolicy == null) {
            return modify(idOrName, name, cores, memoryBytes, caller);
        }
        throw SkiffException.unavailable("this instance service cannot change restart policies");
    }

    /**
     * Replaces the instance's labels, running or stopped: nothing else changes and no cell is asked (labels are the
     * Core's, for lists and filters).
     *
     * @param labels the new labels ({@link io.skiff.api.model.Labels} has the rules); {@code null} or empty removes
     *     them all
     * @throws SkiffException {@code INVALID} naming {@code labels} for a key or value that breaks the rules;
     *     {@code NOT_FOUND} for an instance the caller may not see
     * @since 2.6 of this package
     */
    default InstanceStatus setLabels(String idOrName, Map<String, String> labels, AuthenticatedUser caller) {
        throw SkiffException.unavailable("this instance service cannot change labels");
    }

    /** @return the tail of the instance's serial console log, at most {@code maxBytes} */
    String consoleLog(String idOrName, int maxBytes, AuthenticatedUser caller);

    /**
     * Asks the instance's cell where its VNC server listens (whoever owns the instance: look it up with
     * {@link #get(String, AuthenticatedUser)} first to answer a user).
     *
     * @return address, port and password of the running instance's VNC server
     * @throws SkiffException {@code CONFLICT} when the instance is not running
     */
    io.skiff.api.spi.ConsoleEndpoint consoleEndpoint(String idOrName);
}
