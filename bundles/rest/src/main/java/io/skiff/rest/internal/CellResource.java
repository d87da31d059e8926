package io.skiff.rest.internal;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStoragePool;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.CellService;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.InstanceMigrationService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;

/** {@code /api/v1/cells}: the hosts that joined the domain, and the admin's actions on them. */
@Component(service = CellResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("cells")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CellResource {

    @Reference
    private CellService cells;

    @Reference
    private io.skiff.api.service.CellInventoryService inventory;

    @Reference
    private InstanceMigrationService migrations;

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    @GET
    @RequiresPermission("cell.read")
    public List<Cell> list() {
        return cells.list();
    }

    /**
     * Every cell's storage pools with capacity, allocation and free space, as each cell last reported them (its own
     * pools and the ones the Core defined that it took); the pools the Core defines are {@code /storage-pools}.
     */
    @GET
    @Path("storage-pools")
    @RequiresPermission("storage.read")
    public List<CellStoragePool> storagePools() {
        return inventory.storagePools();
    }

    @GET
    @Path("{id}")
    @RequiresPermission("cell.read")
    public Cell get(@PathParam("id") String id) {
        return cells.get(id);
    }

    @GET
    @Path("{id}/capabilities")
    @RequiresPermission("cell.read")
    public io.skiff.api.spi.HostCapabilities capabilities(@PathParam("id") String id) {
        cells.get(id);
        return inventory.capabilities(id);
    }

    @POST
    @Path("{id}/add-to-pool")
    @RequiresPermission("cell.write")
    public Cell addToPool(@PathParam("id") String id, Requests.CellPool body) {
        Requests.required(body);
        return cells.addToPool(id, body.pool());
    }

    @POST
    @Path("{id}/remove-from-pool")
    @RequiresPermission("cell.write")
    public Cell removeFromPool(@PathParam("id") String id) {
        return cells.removeFromPool(id);
    }

    @POST
    @Path("{id}/enable")
    @RequiresPermission("cell.write")
    public Cell enable(@PathParam("id") String id) {
        return cells.enable(id);
    }

    @POST
    @Path("{id}/disable")
    @RequiresPermission("cell.write")
    public Cell disable(@PathParam("id") String id) {
        return cells.disable(id);
    }

    /**
     * Disables the cell and moves every instance on it to the other cells of its pool (one migration task each);
     * answers 202 with the parent task. The cell stays disabled until {@code enable}.
     */
    @POST
    @Path("{id}/evacuate")
    @RequiresPermission("instance.migrate")
    public Response evacuate(@PathParam("id") String id) {
        TaskInfo task = migrations.evacuate(id, Callers.current(security, identity));
        return Response.accepted(task).location(URI.create("tasks/" + task.id())).build();
    }

    @DELETE
    @Path("{id}")
    @RequiresPermission("cell.write")
    public Response forget(@PathParam("id") String id) {
        cells.forget(id);
        return Response.noContent().build();
    }
}
