package io.skiff.rest.internal;

import io.skiff.api.model.Role;
import io.skiff.api.service.IdentityService;
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
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** {@code /api/v1/roles}: built-in and custom roles (named sets of permissions). */
@Component(service = RoleResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoleResource {

    @Reference
    private IdentityService identity;

    @GET
    @RequiresPermission("role.read")
    public List<Role> list() {
        return identity.roles();
    }

    @GET
    @Path("{name}")
    @RequiresPermission("role.read")
    public Role get(@PathParam("name") String name) {
        return identity.role(name);
    }

    @POST
    @RequiresPermission("role.write")
    public Response create(Requests.RoleBody body) {
        Requests.required(body);
        Role r = identity.createRole(new Role(body.name(), body.permissions(), false, body.description()));
        return Response.created(URI.create("roles/" + r.name())).entity(r).build();
    }

    @PUT
    @Path("{name}")
    @RequiresPermission("role.write")
    public Role update(@PathParam("name") String name, Requests.RoleBody body) {
        Requests.required(body);
        if (body.name() != null && !body.name().equals(name)) {
            throw SkiffException.invalid("name", "a role cannot be renamed");
        }
        Role old = identity.role(name);
        return identity.updateRole(new Role(name, body.permissions() == null ? old.permissions() : body.permissions(),
                false, body.description() == null ? old.description() : body.description()));
    }

    @DELETE
    @Path("{name}")
    @RequiresPermission("role.write")
    public Response delete(@PathParam("name") String name) {
        identity.deleteRole(name);
        return Response.noContent().build();
    }
}
