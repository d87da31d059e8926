package io.skiff.rest.internal;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.StoragePoolService;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/storage-pools}: the storage pools the Core defines ({@code local} or {@code nfs}) with their capacity,
 * and their attachments to compute pools, through the Core's {@link StoragePoolService}. The cells' own storage pools,
 * as each cell reports them, are {@code GET /cells/storage-pools} ({@link CellResource}).
 */
@Component(service = StoragePoolResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("storage-pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StoragePoolResource {

    @Reference
    private StoragePoolService pools;

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    @GET
    @RequiresPermission("storage.read")
    public List<StoragePool> list() {
        return pools.list(caller());
    }

    @GET
    @Path("{id}")
    @RequiresPermission("storage.read")
    public StoragePool get(@PathParam("id") String id) {
        return pools.get(id, caller());
    }

    /** 201 with the pool once a cell has checked it; 400 naming the field, 409 for a duplicate or no cell to ask. */
    @POST
    @RequiresPermission("storage.manage")
    public Response create(Requests.StoragePoolCreate body) {
        Requests.required(body);
        StoragePool pool = pools.create(body.name(), body.type(), settings(body), caller());
        return Response.created(URI.create("storage-pools/" + pool.id())).entity(pool).build();
    }

    /** The backend settings a create names (those it leaves out are not passed on: the Core has their defaults). */
    static Map<String, String> settings(Requests.StoragePoolCreate body) {
        Map<String, String> settings = new LinkedHashMap<>();
        putIfSet(settings, "server", body.server());
        putIfSet(settings, "export", body.export());
        putIfSet(settings, "mode", body.mode());
        putIfSet(settings, "path", body.path());
        return settings;
    }

    private static void putIfSet(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    /** 204; 409 while a compute pool uses it or instances keep volumes in it. */
    @DELETE
    @Path("{id}")
    @RequiresPermission("storage.manage")
    public Response delete(@PathParam("id") String id) {
        pools.delete(id, caller());
        return Response.noContent().build();
    }

    /** New instances of the compute pool keep their disks in this storage pool. */
    @POST
    @Path("{id}/attach")
    @RequiresPermission("storage.manage")
    public StoragePool attach(@PathParam("id") String id, Requests.ComputePoolChoice body) {
        Requests.required(body);
        return pools.attach(id, body.computePool(), caller());
    }

    @POST
    @Path("{id}/detach")
    @RequiresPermission("storage.manage")
    public StoragePool detach(@PathParam("id") String id, Requests.ComputePoolChoice body) {
        Requests.required(body);
        return pools.detach(id, body.computePool(), caller());
    }

    private AuthenticatedUser caller() {
        return Callers.current(security, identity);
    }
}
