package io.skiff.rest.internal;

import io.skiff.api.model.Group;
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

/** {@code /api/v1/groups}: user groups, their sharing flag and quotas. */
@Component(service = GroupResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GroupResource {

    @Reference
    private IdentityService identity;

    @GET
    @RequiresPermission("group.read")
    public List<Group> list() {
        return identity.groups();
    }

    @GET
    @Path("{name}")
    @RequiresPermission("group.read")
    public Group get(@PathParam("name") String name) {
        return identity.group(name);
    }

    @POST
    @RequiresPermission("group.write")
    public Response create(Requests.GroupBody body) {
        Requests.required(body);
        Group g = identity.createGroup(new Group(body.name(), body.description(),
                body.shareResources() != null && body.shareResources(),
                body.quota() == null ? null : body.quota().toQuota(), body.parent()));
        return Response.created(URI.create("groups/" + g.name())).entity(g).build();
    }

    /** Replaces description, sharing, quota and parent ({@code null} keeps a value). */
    @PUT
    @Path("{name}")
    @RequiresPermission("group.write")
    public Group update(@PathParam("name") String name, Requests.GroupBody body) {
        Requests.required(body);
        if (body.name() != null && !body.name().equals(name)) {
            throw SkiffException.invalid("name", "a group cannot be renamed");
        }
        Group old = identity.group(name);
        return identity.updateGroup(new Group(name,
                body.description() == null ? old.description() : body.description(),
                body.shareResources() == null ? old.shareResources() : body.shareResources(),
                body.quota() == null ? old.quota() : body.quota().toQuota(),
                body.parent() == null ? old.parent() : body.parent()));
    }

    @DELETE
    @Path("{name}")
    @RequiresPermission("group.write")
    public Response delete(@PathParam("name") String name) {
        identity.deleteGroup(name);
        return Response.noContent().build();
    }
}
