package io.skiff.rest.internal;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceEvent;
import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.GuestAgentService;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.InstanceDiskService;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.InstanceEventService;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.QosService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SnapshotService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.api.spi.ConsoleProvider;
import io.skiff.api.spi.ConsoleTicket;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /api/v1/instances}: virtual machines; changes answer 202 with the task that makes them. */
@Component(service = InstanceResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InstanceResource {
    @Reference
    private InstanceService instances;

    /** the console provider named by the setting {@code consoleProvider} (not whichever ranks highest) */
    @Reference
    private ConfiguredConsoleProvider consoles;
    @Reference
    private InstanceDiskService disks;

    @Reference
    private InstanceImageService systemDiskImages;

    @Reference
    private InstanceAddressService addresses;

    @Reference
    private InstanceMediaService mediaDrives;

    @Reference
    private SnapshotService snapshots;

    @Reference
    private QosService qos;

    @Reference
    private InstanceMigrationService migrations;

    @Reference
    private InstanceEventService events;

    /** Provided by the guest-init bundle; without it the guest-agent operations answer 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GuestAgentService guestAgent;

    private GuestAgentService guestAgent() {
        GuestAgentService agent = guestAgent;
        if (agent == null) {
            throw SkiffException.unavailable("the QEMU guest agent is not available (bundle skiff-guest-init)");
        }
        return agent;
    }

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    @Context
    private javax.servlet.http.HttpServletRequest servletRequest;

    @Context
    private HttpServletResponse response;

    @Context
    private UriInfo uri;

    private static Response accepted(TaskInfo task) {
        return Response.accepted(task).location(URI.create("tasks/" + task.id())).build();
    }

    /** The signed-in caller; the services answer only about what it may see (else 404, as if it did not exist). */
    private AuthenticatedUser caller() {
        return Callers.current(security, identity);
    }

    /**
     * The instances the caller may see, sorted by name (or {@code sort}: {@code name}, {@code createdAt}, {@code id},
     * {@code -} before for descending), filtered by {@code state}, compute {@code pool}, {@code cell}, {@code owner}
     * {@code namePrefix} and {@code label} (repeated: {@code key=value} or {@code key}, all must hold); paged with
     * {@code limit} and {@code cursor} (see {@link Paging}).
     */
    @GET
    @RequiresPermission("instance.read")
    public List<InstanceStatus> list(@QueryParam("state") String state, @QueryParam("pool") String pool,
                                     @QueryParam("cell") String cell, @QueryParam("owner") String owner,
                                     @QueryParam("namePrefix") String namePrefix,
                                     @QueryParam("label") List<String> label, @BeanParam PageParams page) {
        InstanceFilter filter = new InstanceFilter(Filters.constant("state", state, InstanceState.class), pool, cell,
                owner, namePrefix, Filters.labels("label", label));
        return Paging.answer(instances.page(filter, page.query().request(), caller()), uri, response);
    }

    @GET
    @Path("{id}")
    @RequiresPermission("instance.read")
    public InstanceStatus get(@PathParam("id") String id) {
        return instances.get(id, caller());
    }

    /** Creates an instance; what the body leaves out (cores, memoryBytes, profile, ...) the Core fills in. */
    @POST
    @RequiresPermission("instance.write")
    public Response create(Requests.InstanceCreate body) {
        Requests.required(body);
        if (servletRequest != null && body.name() != null) {
            // names the instance in the operation log also when the create is refused
            servletRequest.setAttribute(OperationLogFilter.RESOURCE, "instances/" + body.name());
        }
        InstanceSpec spec = toSpec(body);
        return accepted(instances.create(spec, caller()));
    }

    @PUT
    @Path("{id}")
    @RequiresPermission("instance.write")
    public InstanceStatus modify(@PathParam("id") String id, Requests.InstanceModify body) {
        Requests.required(body);
        return instances.modify(id, body.name(), body.cores(), body.memoryBytes(), body.restartPolicy(), caller());
    }

    /** Replaces the instance's labels (running or stopped; the Core's alone, no task). */
    @PUT
    @Path("{id}/labels")
    @RequiresPermission("instance.write")
    public InstanceStatus setLabels(@PathParam("id") String id, Requests.LabelsChange body) {
        Requests.required(body);
        return instances.setLabels(id, body.labels(), caller());
    }

    /** What happened to the instance (moves, restarts, failovers, fences, requests), newest first. */
    @GET
    @Path("{id}/events")
    @RequiresPermission("instance.read")
    public List<InstanceEvent> events(@PathParam("id") String id,
                                      @QueryParam("limit") @DefaultValue("200") int limit) {
        return events.events(id, limit, caller());
    }

    /**
     * Puts a medium into the instance's media CD-ROM drive, replacing the one it holds: live when running, in the
     * definition when stopped.
     */
    @POST
    @Path("{id}/media")
    @RequiresPermission("instance.write")
    public Response insertMedia(@PathParam("id") String id, Requests.MediaInsert body) {
        Requests.required(body);
        return accepted(mediaDrives.insertMedia(id, body.media(), caller()));
    }

    /** Empties the instance's media CD-ROM drive (409 naming {@code media} when it is empty). */
    @DELETE
    @Path("{id}/media")
    @RequiresPermission("instance.write")
    public Response ejectMedia(@PathParam("id") String id) {
        return accepted(mediaDrives.ejectMedia(id, caller()));
    }

    /** What a stopped instance boots from: {@code disk} or {@code cdrom} (its media drive, then its system disk). */
    @PUT
    @Path("{id}/boot-from")
    @RequiresPermission("instance.write")
    public InstanceStatus setBootFrom(@PathParam("id") String id, Requests.BootFrom body) {
        Requests.required(body);
        return mediaDrives.setBootFrom(id, body.bootFrom(), caller());
    }

    @POST
    @Path("{id}/address")
    @RequiresPermission("instance.write")
    public Response rebindAddress(@PathParam("id") String id, Requests.AddressChoice body) {
        Requests.required(body);
        return accepted(addresses.rebindAddress(id, body.address(), caller()));
    }

    @POST
    @Path("{id}/start")
    @RequiresPermission("instance.operate")
    public Response start(@PathParam("id") String id) {
        return accepted(instances.start(id, caller()));
    }

    @POST
    @Path("{id}/stop")
    @RequiresPermission("instance.operate")
    public Response stop(@PathParam("id") String id, @QueryParam("force") @DefaultValue("false") boolean force) {
        return accepted(instances.stop(id, force, caller()));
    }

    /** Builds an image from the stopped instance's system disk: {@code 202} with the task. */
    @POST
    @Path("{id}/image")
    @RequiresPermission("image.write")
    public Response captureImage(@PathParam("id") String id, Requests.ImageCapture body) {
        Requests.required(body);
        List<String> tags = body.tags() == null ? List.of() : body.tags();
        return accepted(systemDiskImages.captureImage(id, body.name(), tags, caller()));
    }

    /**
     * Resizes disk {@code n} (0 = system disk) to {@code sizeBytes}: grows live when running, else offline; shrinks
     * a stopped instance's disk, never below where its data ends.
     */
    @POST
    @Path("{id}/disks/{n}/resize")
    @RequiresPermission("instance.write")
    public Response resizeDisk(@PathParam("id") String id, @PathParam("n") int n, Requests.DiskResize body) {
        long size = Requests.require(body, Requests.DiskResize::sizeBytes, "sizeBytes");
        return accepted(disks.resizeDisk(id, n, size, caller()));
    }

    /** Adds an empty data disk as the last disk: hot-plugged when running, else in the definition. */
    @POST
    @Path("{id}/disks")
    @RequiresPermission("instance.write")
    public Response addDisk(@PathParam("id") String id, Requests.DiskAdd body) {
        long size = Requests.require(body, Requests.DiskAdd::sizeBytes, "sizeBytes");
        return accepted(disks.addDisk(id, size, body.storagePool(), caller()));
    }

    /** Compacts disk {@code n} of a stopped instance; the task's message says the bytes on disk before and after. */
    @POST
    @Path("{id}/disks/{n}/compact")
    @RequiresPermission("instance.write")
    public Response compactDisk(@PathParam("id") String id, @PathParam("n") int n) {
        return accepted(disks.compactDisk(id, n, caller()));
    }

    /** Removes data disk {@code n} (1 or more) and deletes its volume: detached live when running. */
    @DELETE
    @Path("{id}/disks/{n}")
    @RequiresPermission("instance.write")
    public Response removeDisk(@PathParam("id") String id, @PathParam("n") int n) {
        return accepted(disks.removeDisk(id, n, caller()));
    }

    /**
     * Moves the instance to another cell of its compute pool: live when it runs (memory only on shared storage,
     * with a copy of its disks on local storage), cold when it is stopped (with a copy of its disks on local
     * storage). Body
     * {@code {"cell": "..."}} or none (the placement policy chooses).
     */
    @POST
    @Path("{id}/migrate")
    @RequiresPermission("instance.migrate")
    public Response migrate(@PathParam("id") String id, Requests.Migration body) {
        return accepted(migrations.migrate(id, body == null ? null : body.cell(), caller()));
    }

    @POST
    @Path("{id}/restart")
    @RequiresPermission("instance.operate")
    public Response restart(@PathParam("id") String id) {
        return accepted(instances.restart(id, caller()));
    }

    @DELETE
    @Path("{id}")
    @RequiresPermission("instance.write")
    public Response delete(@PathParam("id") String id, @QueryParam("force") @DefaultValue("false") boolean force) {
        return accepted(instances.delete(id, force, caller()));
    }

    @GET
    @Path("{id}/console-log")
    @Produces(MediaType.TEXT_PLAIN)
    @RequiresPermission("instance.read")
    public String consoleLog(@PathParam("id") String id,
                             @QueryParam("maxBytes") @DefaultValue("65536") int maxBytes) {
        return instances.consoleLog(id, maxBytes, caller());
    }

    /** A one-time ticket (15 s, one connection) for the instance's console through the WebSocket proxy. */
    @POST
    @Path("{id}/console")
    @RequiresPermission("instance.console")
    public ConsoleTicket openConsole(@PathParam("id") String id) {
        ConsoleProvider provider = consoles.selected();
        AuthenticatedUser caller = caller();
        return provider.open(instances.get(id, caller).id(), caller);
    }

    /**
     * Address, port and password of the instance's VNC server, for third-party VNC clients; only for its owner or
     * an admin (the portal's own console never needs them).
     */
    @GET
    @Path("{id}/vnc")
    @RequiresPermission("instance.vnc")
    public VncAccess vnc(@PathParam("id") String id) {
        AuthenticatedUser caller = caller();
        InstanceStatus instance = instances.get(id, caller);
        if (!caller.hasPermission(io.skiff.api.service.Permissions.ALL) && !caller.name().equals(instance.owner())) {
            throw SkiffException.notFound("instance", id);
        }
        ConsoleEndpoint endpoint = instances.consoleEndpoint(instance.id());
        return new VncAccess(endpoint.host(), endpoint.port(), endpoint.password(),
                endpoint.host() + "::" + endpoint.port());
    }

    /** The instance's snapshots as a tree: parents before children, each naming its parent. */
    @GET
    @Path("{id}/snapshots")
    @RequiresPermission("instance.read")
    public List<io.skiff.api.model.Snapshot> snapshots(@PathParam("id") String id) {
        return snapshots.snapshots(id, caller());
    }

    /** Takes a snapshot of a stopped or running instance (with its memory when running). */
    @POST
    @Path("{id}/snapshots")
    @RequiresPermission("instance.operate")
    public Response createSnapshot(@PathParam("id") String id, Requests.SnapshotCreate body) {
        Requests.required(body);
        return accepted(snapshots.createSnapshot(id, body.name(), body.description(), caller()));
    }

    /** Returns the instance to one of its snapshots. */
    @POST
    @Path("{id}/snapshots/{name}/revert")
    @RequiresPermission("instance.operate")
    public Response revertSnapshot(@PathParam("id") String id, @PathParam("name") String name) {
        return accepted(snapshots.revertSnapshot(id, name, caller()));
    }

    /** Deletes a snapshot; its children stay valid. */
    @DELETE
    @Path("{id}/snapshots/{name}")
    @RequiresPermission("instance.operate")
    public Response deleteSnapshot(@PathParam("id") String id, @PathParam("name") String name) {
        return accepted(snapshots.deleteSnapshot(id, name, caller()));
    }

    /**
     * Changes the instance's QoS; the answer says what the running guest got at once ({@code live}) and what waits
     * for its next start.
     */
    @PUT
    @Path("{id}/qos")
    @RequiresPermission("instance.write")
    public io.skiff.api.model.QosChange setQos(@PathParam("id") String id, io.skiff.api.model.Qos body) {
        Requests.required(body);
        return qos.setQos(id, body, caller());
    }

    /** Sets a user's password in the running guest through the QEMU guest agent. */
    @POST
    @Path("{id}/password")
    @RequiresPermission("instance.operate")
    public Detail resetPassword(@PathParam("id") String id, Requests.PasswordReset body) {
        Requests.required(body);
        return new Detail(guestAgent().resetGuestPassword(id, body.user(), body.password(), caller()));
    }

    /** Changes the running guest's host name through the QEMU guest agent. */
    @POST
    @Path("{id}/hostname")
    @RequiresPermission("instance.operate")
    public Detail changeHostname(@PathParam("id") String id, Requests.HostnameChange body) {
        Requests.required(body);
        return new Detail(guestAgent().changeGuestHostname(id, body.hostname(), caller()));
    }

    /** Reinstalls the system disk from the instance's image, keeping its identity. */
    @POST
    @Path("{id}/reset-system")
    @RequiresPermission("instance.write")
    public Response resetSystem(@PathParam("id") String id) {
        return accepted(systemDiskImages.resetSystem(id, caller()));
    }

    /** The spec of a create request (also a batch's). */
    static InstanceSpec toSpec(Requests.InstanceCreate body) {
        Requests.required(body);
        List<DiskSpec> disks = new ArrayList<>();
        if (body.disks() != null) {
            for (Requests.Disk d : body.disks()) {
                if (d == null) {
                    throw SkiffException.invalid("disks", "a disk is empty");
                }
                disks.add(new DiskSpec(d.sizeBytes() == null ? 0 : d.sizeBytes(), d.storagePool(), d.imageId(),
                        d.cloneMode()));
            }
        }
        return new InstanceSpec(body.name(), body.poolId(), body.cellId(), body.cores(),
                body.memoryBytes(), disks, body.profile(), body.addressPoolId(),
                body.autoStart() != null && body.autoStart(), body.address(),
                body.guestInit() == null ? null : body.guestInit().toModel(), body.qos(),
                body.media() == null || body.media().isEmpty() ? null : body.media(), body.bootFrom(),
                body.restartPolicy(), body.labels());
    }

    /** What an operation did, in words. */
    public record Detail(String detail) {
    }
}
