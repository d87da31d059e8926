package io.skiff.rest.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.InstanceAddressService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
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
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/address-pools}: address pools with their ranges (used/free), attachments to compute pools and
 * the bindings of their addresses to instances, through the Core's {@link AddressPoolService} (the Core chooses the
 * provider).
 */
@Component(service = AddressPoolResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("address-pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AddressPoolResource {

    @Reference
    private AddressPoolService pools;

    @Reference
    private InstanceService instances;

    @Reference
    private IdentityService identity;

    @Reference
    private InstanceAddressService addresses;

    @Context
    private SecurityContext security;

    @GET
    @RequiresPermission("address.read")
    public List<AddressPool> list() {
        return pools.list(caller());
    }

    @GET
    @Path("{id}")
    @RequiresPermission("address.read")
    public AddressPool get(@PathParam("id") String id) {
        return pools.get(id, caller());
    }

    @POST
    @RequiresPermission("address.write")
    public Response create(Requests.AddressPoolCreate body) {
        Requests.required(body);
        AuthenticatedUser caller = caller();
        if (body.prefixLength() == null) {
            throw SkiffException.invalid("prefixLength", "prefixLength is required");
        }
        List<AddressRange> ranges = new ArrayList<>();
        if (body.ranges() != null) {
            for (int i = 0; i < body.ranges().size(); i++) {
                Requests.Range r = body.ranges().get(i);
                if (r == null) {
                    throw SkiffException.invalid("ranges." + i, "range " + i + " is empty");
                }
                ranges.add(new AddressRange(r.first(), r.last()));
            }
        }
        if (body.computePools() != null) {
            // checked before anything is created, so that a bad attachment leaves no pool behind
            for (String cp : body.computePools()) {
                pools.forComputePool(cp, caller).ifPresent(p -> {
                    throw SkiffException.conflict("computePools", "compute pool '" + cp
                            + "' already takes its addresses from address pool '" + p.id() + "'");
                });
            }
        }
        AddressPool pool = pools.create(new AddressPool(null, body.name(), ranges, body.prefixLength(),
                body.gateway(), body.dnsServers(), body.domain()), caller);
        if (body.computePools() != null) {
            try {
                for (String cp : body.computePools()) {
                    pool = pools.attach(pool.id(), cp, caller);
                }
            } catch (SkiffException e) {
                pools.delete(pool.id(), caller);
                throw new SkiffException(e.kind(), e.code(), e.getMessage(), "computePools");
            }
        }
        return Response.created(URI.create("address-pools/" + pool.id())).entity(pool).build();
    }

    @PUT
    @Path("{id}")
    @RequiresPermission("address.write")
    public AddressPool update(@PathParam("id") String id, Requests.AddressPoolUpdate body) {
        Requests.required(body);
        return pools.update(id, body.gateway(), body.dnsServers(), body.domain(), caller());
    }

    @DELETE
    @Path("{id}")
    @RequiresPermission("address.write")
    public Response delete(@PathParam("id") String id) {
        pools.delete(id, caller());
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/ranges")
    @RequiresPermission("address.read")
    public List<AddressRangeUsage> ranges(@PathParam("id") String id) {
        return pools.usage(id, caller());
    }

    @POST
    @Path("{id}/ranges")
    @RequiresPermission("address.write")
    public AddressPool addRange(@PathParam("id") String id, Requests.Range body) {
        Requests.required(body);
        return pools.addRange(id, new AddressRange(body.first(), body.last()), caller());
    }

    /** @param range {@code <first>-<last>}, e.g. {@code 10.0.0.10-10.0.0.20} */
    @DELETE
    @Path("{id}/ranges/{range}")
    @RequiresPermission("address.write")
    public AddressPool removeRange(@PathParam("id") String id, @PathParam("range") String range) {
        int dash = range == null ? -1 : range.indexOf('-');
        if (dash < 0) {
            throw SkiffException.invalid("range", "range must be written <first>-<last>");
        }
        return pools.removeRange(id, new AddressRange(range.substring(0, dash), range.substring(dash + 1)),
                caller());
    }

    @POST
    @Path("{id}/attach")
    @RequiresPermission("address.write")
    public AddressPool attach(@PathParam("id") String id, Requests.ComputePoolChoice body) {
        Requests.required(body);
        return pools.attach(id, body.computePool(), caller());
    }

    @POST
    @Path("{id}/detach")
    @RequiresPermission("address.write")
    public AddressPool detach(@PathParam("id") String id, Requests.ComputePoolChoice body) {
        Requests.required(body);
        return pools.detach(id, body.computePool(), caller());
    }

    @GET
    @Path("{id}/bindings")
    @RequiresPermission("address.read")
    public List<AddressBinding> bindings(@PathParam("id") String id) {
        return pools.bindings(id, caller());
    }

    /** Moves an instance to another address of this pool: 202 with the task. */
    @PUT
    @Path("{id}/bindings/{instance}")
    @RequiresPermission("address.write")
    public Response rebind(@PathParam("id") String id, @PathParam("instance") String instance,
                           Requests.AddressChoice body) {
        Requests.required(body);
        AuthenticatedUser caller = caller();
        String instanceId = instances.get(instance, caller).id();
        AddressBinding held = pools.bindingOf(instanceId, caller).orElseThrow(() -> SkiffException.conflict(
                "instance", "instance '" + instance + "' has no address"));
        if (!held.poolId().equals(id)) {
            throw SkiffException.conflict("instance", "instance '" + instance + "' takes its address from address"
                    + " pool '" + held.poolId() + "'");
        }
        TaskInfo task = addresses.rebindAddress(instanceId, body.address(), caller);
        return Response.accepted(task).location(URI.create("tasks/" + task.id())).build();
    }

    private AuthenticatedUser caller() {
        return Callers.current(security, identity);
    }
}
