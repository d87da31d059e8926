package io.skiff.rest.internal;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** {@code /api/v1/pools}: compute pools. */
@Component(service = PoolResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoolResource {

    @Reference
    private ComputePoolService pools;

    @GET
    @RequiresPermission("pool.read")
    public List<ComputePool> list() {
        return pools.list();
    }

    @GET
    @Path("{name}")
    @RequiresPermission("pool.read")
    public ComputePool get(@PathParam("name") String name) {
        return pools.get(name);
    }

    @POST
    @RequiresPermission("pool.write")
    public Response create(Requests.PoolCreate body) {
        Requests.required(body);
        ComputePool pool = pools.create(body.name(), body.description());
        return Response.created(URI.create("pools/" + pool.name())).entity(pool).build();
    }

    @PUT
    @Path("{name}")
    @RequiresPermission("pool.write")
    public ComputePool update(@PathParam("name") String name, Requests.PoolUpdate body) {
        Requests.required(body);
        return pools.update(name, body.description(), body.failover());
    }

    @DELETE
    @Path("{name}")
    @RequiresPermission("pool.write")
    public Response delete(@PathParam("name") String name) {
        pools.delete(name);
        return Response.noContent().build();
    }
}
