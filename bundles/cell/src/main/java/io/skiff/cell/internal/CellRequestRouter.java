package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellDomains;
import io.skiff.api.cell.CellGuestAgent;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellMigrations;
import io.skiff.api.cell.CopyRelease;
import io.skiff.api.cell.IncomingMigration;
import io.skiff.api.cell.MigrationCompletion;
import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationStatus;
import io.skiff.api.cell.MigrationTarget;
import io.skiff.api.cell.OutgoingMigration;
import io.skiff.api.cell.CellSnapshots;
import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.cell.ConsoleLog;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskCapture;
import io.skiff.api.cell.DiskCompact;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsage;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.cell.PreparedDisks;
import io.skiff.api.cell.QosApplied;
import io.skiff.api.cell.QosRequest;
import io.skiff.api.cell.SnapshotList;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.model.Snapshot;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.api.transport.ClusterTransport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cell's side of the typed Core–Cell contract: implements the capability interfaces of skiff-api
 * ({@link CellVolumes}, {@link CellDomains}, {@link CellSnapshots}, {@link CellGuestAgent},
 * {@link CellMigrations}) by handing each request to
 * the class that does that job, and registers them with the transport through the {@link CapabilityDispatcher}. A
 * request that changes something ({@code @CellRequest(changes = true)}) is followed, once it succeeded, by a DHCP
 * refresh and a report; a request that only reads (console log, console, snapshot list, disk usage, guest agent) is
 * not. A checked exception of a capability class goes back to the Core as an {@code INTERNAL handler-failed} error
 * with its message, as the transport always did.
 */
final class CellRequestRouter implements CellVolumes, CellDomains, CellSnapshots, CellGuestAgent, CellMigrations,
        AutoCloseable {

    /** What the capabilities are; the router hands each request to one of them. */
    record Capabilities(InstanceVolumes volumes, DataDisks dataDisks, DiskMaintenance disks,
                        DomainDefinitions domains, MediaDrives media, InstanceSnapshots snapshots,
                        InstanceConsoles consoles, RunningDomainRequests running,
                        InstanceMigrations migrations) {
    }

    /** One capability's method, which may throw what its job throws. */
    @FunctionalInterface
    private interface Call<R> {
        R run() throws Exception;
    }

    private final Capabilities c;
    private final List<ClusterTransport.Registration> registrations = new ArrayList<>();

    /** @param afterChange run after every request that changed something (refresh DHCP, report soon) */
    CellRequestRouter(ClusterTransport transport, Runnable afterChange, Capabilities capabilities) {
        this(transport, afterChange, capabilities, sender -> { });
    }

    /** @param sender told the node every request comes from: the Core */
    CellRequestRouter(ClusterTransport transport, Runnable afterChange, Capabilities capabilities,
                      Consumer<String> sender) {
        this.c = capabilities;
        try {
            registrations.addAll(CapabilityDispatcher.register(transport, CellVolumes.class, this, afterChange,
                    sender));
            registrations.addAll(CapabilityDispatcher.register(transport, CellDomains.class, this, afterChange,
                    sender));
            registrations.addAll(CapabilityDispatcher.register(transport, CellSnapshots.class, this, afterChange,
                    sender));
            registrations.addAll(CapabilityDispatcher.register(transport, CellGuestAgent.class, this, afterChange,
                    sender));
            registrations.addAll(CapabilityDispatcher.register(transport, CellMigrations.class, this, afterChange,
                    sender));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static <R> R call(Call<R> call) {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SkiffException.unavailable("interrupted");
        } catch (Exception e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "handler-failed",
                    e.getMessage() != null ? e.getMessage() : e.toString(), null);
        }
    }

    // CellVolumes

    @Override
    public PreparedDisks prepareDisks(CellInstanceSpec spec) {
        return call(() -> c.volumes().prepare(spec));
    }

    @Override
    public Ack deleteDisks(InstanceAction action) {
        return call(() -> c.volumes().delete(action));
    }

    @Override
    public Ack resizeDisk(DiskResize request) {
        return call(() -> c.disks().resize(request));
    }

    @Override
    public Ack addDisk(DiskAdd request) {
        return call(() -> c.dataDisks().add(request));
    }

    @Override
    public Ack removeDisk(DiskRemove request) {
        return call(() -> c.dataDisks().remove(request));
    }

    @Override
    public Ack compactDisk(DiskCompact request) {
        return call(() -> c.disks().compact(request));
    }

    @Override
    public DiskUsage diskUsage(DiskUsageRequest request) {
        return call(() -> c.disks().usage(request));
    }

    @Override
    public Ack captureDisk(DiskCapture request) {
        return call(() -> c.disks().capture(request));
    }

    @Override
    public Ack resetSystemDisk(CellInstanceSpec spec) {
        return call(() -> c.volumes().resetSystemDisk(spec));
    }

    @Override
    public Ack checkStoragePool(StoragePoolDefinition definition) {
        return call(() -> c.volumes().checkPool(definition));
    }

    // CellDomains

    @Override
    public Ack define(CellInstanceSpec spec) {
        return call(() -> c.domains().define(spec));
    }

    @Override
    public Ack start(InstanceAction action) {
        return call(() -> c.domains().start(action));
    }

    @Override
    public Ack stop(InstanceAction action) {
        return call(() -> c.domains().stop(action));
    }

    @Override
    public Ack undefine(InstanceAction action) {
        return call(() -> c.domains().undefine(action));
    }

    @Override
    public Ack changeMedia(MediaChange request) {
        return call(() -> c.media().change(request));
    }

    @Override
    public QosApplied applyQos(QosRequest request) {
        return call(() -> c.running().applyQos(request));
    }

    @Override
    public ConsoleLog consoleLog(ConsoleLogRequest request) {
        return call(() -> c.consoles().log(request));
    }

    @Override
    public ConsoleEndpoint console(InstanceAction action) {
        return call(() -> c.consoles().endpoint(action));
    }

    // CellSnapshots

    @Override
    public SnapshotList list(InstanceAction action) {
        return call(() -> c.snapshots().list(action));
    }

    @Override
    public Snapshot create(SnapshotRequest request) {
        return call(() -> c.snapshots().create(request));
    }

    @Override
    public Ack revert(SnapshotRequest request) {
        return call(() -> c.snapshots().revert(request));
    }

    @Override
    public Ack delete(SnapshotRequest request) {
        return call(() -> c.snapshots().delete(request));
    }

    // CellGuestAgent

    @Override
    public GuestAgentReply command(GuestAgentRequest request) {
        return call(() -> c.running().guestAgent(request));
    }

    // CellMigrations

    @Override
    public MigrationSource describe(InstanceAction action) {
        return call(() -> c.migrations().describe(action));
    }

    @Override
    public MigrationTarget prepare(IncomingMigration request) {
        return call(() -> c.migrations().prepare(request));
    }

    @Override
    public Ack start(OutgoingMigration request) {
        return call(() -> c.migrations().start(request));
    }

    @Override
    public MigrationStatus status(InstanceAction action) {
        return call(() -> c.migrations().status(action));
    }

    @Override
    public Ack complete(MigrationCompletion request) {
        return call(() -> c.migrations().complete(request));
    }

    @Override
    public Ack release(CopyRelease request) {
        return call(() -> c.migrations().release(request));
    }

    @Override
    public Ack recover(InstanceAction action) {
        return call(() -> c.migrations().recover(action));
    }

    @Override
    public void close() {
        registrations.forEach(ClusterTransport.Registration::close);
    }
}
