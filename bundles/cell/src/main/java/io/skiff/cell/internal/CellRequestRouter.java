package io.skiff.cell.internal;

import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.DiskAdd;
import io.skiff.api.cell.DiskCapture;
import io.skiff.api.cell.DiskCompact;
import io.skiff.api.cell.DiskRemove;
import io.skiff.api.cell.DiskResize;
import io.skiff.api.cell.DiskUsageRequest;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.cell.QosRequest;
import io.skiff.api.cell.SnapshotRequest;
import io.skiff.api.transport.ClusterTransport;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes the Core's requests ({@link CellProtocol}) to the capability that answers each, with its body type. A
 * request that changes something is followed, once it succeeded, by a DHCP refresh and a report; a request that only
 * reads (console log, console, snapshot list, disk usage, guest agent) is not.
 */
final class CellRequestRouter implements AutoCloseable {

    /** One capability's method, with the request body mapped to its type. */
    @FunctionalInterface
    interface Handler<B> {
        Object handle(B body) throws Exception;
    }

    /** What the capabilities are; the router registers one handler per request type. */
    record Capabilities(InstanceVolumes volumes, DataDisks dataDisks, DiskMaintenance disks,
                        DomainDefinitions domains, MediaDrives media, InstanceSnapshots snapshots,
                        InstanceConsoles consoles, RunningDomainRequests running) {
    }

    private final ClusterTransport transport;
    private final Runnable afterChange;
    private final List<ClusterTransport.Registration> registrations = new ArrayList<>();

    /** @param afterChange run after every request that changed something (refresh DHCP, report soon) */
    CellRequestRouter(ClusterTransport transport, Runnable afterChange, Capabilities c) {
        this.transport = transport;
        this.afterChange = afterChange;
        change(CellProtocol.PREPARE_DISKS, CellInstanceSpec.class, c.volumes()::prepare);
        change(CellProtocol.DEFINE, CellInstanceSpec.class, c.domains()::define);
        change(CellProtocol.START, InstanceAction.class, c.domains()::start);
        change(CellProtocol.STOP, InstanceAction.class, c.domains()::stop);
        change(CellProtocol.UNDEFINE, InstanceAction.class, c.domains()::undefine);
        change(CellProtocol.DELETE_DISKS, InstanceAction.class, c.volumes()::delete);
        read(CellProtocol.CONSOLE_LOG, ConsoleLogRequest.class, c.consoles()::log);
        read(CellProtocol.CONSOLE, InstanceAction.class, c.consoles()::endpoint);
        change(CellProtocol.RESIZE_DISK, DiskResize.class, c.disks()::resize);
        change(CellProtocol.CAPTURE_DISK, DiskCapture.class, c.disks()::capture);
        read(CellProtocol.SNAPSHOT_LIST, InstanceAction.class, c.snapshots()::list);
        change(CellProtocol.SNAPSHOT_CREATE, SnapshotRequest.class, c.snapshots()::create);
        change(CellProtocol.SNAPSHOT_REVERT, SnapshotRequest.class, c.snapshots()::revert);
        change(CellProtocol.SNAPSHOT_DELETE, SnapshotRequest.class, c.snapshots()::delete);
        change(CellProtocol.QOS_APPLY, QosRequest.class, c.running()::applyQos);
        read(CellProtocol.GUEST_AGENT, GuestAgentRequest.class, c.running()::guestAgent);
        change(CellProtocol.RESET_SYSTEM_DISK, CellInstanceSpec.class, c.volumes()::resetSystemDisk);
        change(CellProtocol.ADD_DISK, DiskAdd.class, c.dataDisks()::add);
        change(CellProtocol.REMOVE_DISK, DiskRemove.class, c.dataDisks()::remove);
        change(CellProtocol.COMPACT_DISK, DiskCompact.class, c.disks()::compact);
        read(CellProtocol.DISK_USAGE, DiskUsageRequest.class, c.disks()::usage);
        change(CellProtocol.CHANGE_MEDIA, MediaChange.class, c.media()::change);
    }

    private <B> void change(String type, Class<B> body, Handler<B> handler) {
        registrations.add(transport.subscribe(type, message -> {
            Object reply = handler.handle(message.body(body));
            afterChange.run();
            return reply;
        }));
    }

    private <B> void read(String type, Class<B> body, Handler<B> handler) {
        registrations.add(transport.subscribe(type, message -> handler.handle(message.body(body))));
    }

    @Override
    public void close() {
        registrations.forEach(ClusterTransport.Registration::close);
    }
}
