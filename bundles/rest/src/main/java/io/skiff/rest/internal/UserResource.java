package io.skiff.rest.internal;

import io.skiff.api.model.User;
import io.skiff.api.service.AuthenticatedUser;
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
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/users}: accounts (never with credentials); passwords set through {@code users/{name}/password}. */
@Component(service = UserResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    @GET
    @RequiresPermission("user.read")
    public List<User> list() {
        return identity.users();
    }

    @GET
    @Path("{name}")
    @RequiresPermission("user.read")
    public User get(@PathParam("name") String name) {
        return identity.user(name);
    }

    @POST
    @RequiresPermission("user.write")
    public Response create(Requests.UserCreate body) {
        Requests.required(body);
        User user = identity.createUser(body.name(), body.displayName(), body.group(), body.roles(), body.password(),
                body.quota() == null ? null : body.quota().toQuota());
        return Response.created(URI.create("users/" + user.name())).entity(user).build();
    }

    @PUT
    @Path("{name}")
    @RequiresPermission("user.write")
    public User update(@PathParam("name") String name, Requests.UserUpdate body) {
        Requests.required(body);
        return identity.updateUser(name, body.displayName(), body.group(), body.roles(), body.enabled(),
                body.quota() == null ? null : body.quota().toQuota(), RestConstants.userName(security));
    }

    @DELETE
    @Path("{name}")
    @RequiresPermission("user.write")
    public Response delete(@PathParam("name") String name) {
        identity.deleteUser(name, RestConstants.userName(security));
        return Response.noContent().build();
    }

    /**
     * Changes a password: one's own with {@code currentPassword}; another user's only with {@code user.write}
     * (then {@code currentPassword} may be omitted). Ends the user's sessions.
     */
    @POST
    @Path("{name}/password")
    @RequiresPermission("account.self")
    public Response password(@PathParam("name") String name, Requests.PasswordChange body) {
        Requests.required(body);
        String caller = selfOr(name, "user.write");
        if (body.newPassword() == null) {
            throw SkiffException.invalid("newPassword", "newPassword is required");
        }
        identity.changePassword(name, body.currentPassword(), body.newPassword(), caller);
        return Response.noContent().build();
    }

    /** A user's SSH public keys for the shell: one's own, or anyone's with {@code user.read}. */
    @GET
    @Path("{name}/ssh-keys")
    @RequiresPermission("account.self")
    public Map<String, Object> sshKeys(@PathParam("name") String name) {
        selfOr(name, "user.read");
        return Map.of("user", name, "keys", identity.sshKeys(name));
    }

    /**
     * Replaces a user's SSH public keys ({@code authorized_keys} lines): one's own, or anyone's with
     * {@code user.write}. A bad key is refused naming it ({@code sshKeys.<i>}) and nothing changes.
     */
    @PUT
    @Path("{name}/ssh-keys")
    @RequiresPermission("account.self")
    public Map<String, Object> setSshKeys(@PathParam("name") String name, Requests.SshKeys body) {
        Requests.required(body);
        String caller = selfOr(name, "user.write");
        if (body.keys() == null) {
            throw SkiffException.invalid("sshKeys", "keys is required (an empty list removes every key)");
        }
        return Map.of("user", name, "keys", identity.setSshKeys(name, body.keys(), caller));
    }

    /** @return the caller's name when it is {@code name} or holds {@code permission}, else 403 naming it */
    private String selfOr(String name, String permission) {
        AuthenticatedUser caller = Callers.current(security, identity);
        if (!caller.name().equals(name) && !caller.hasPermission(permission)) {
            throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden",
                    "user '" + caller.name() + "' lacks permission '" + permission + "'", null);
        }
        return caller.name();
    }
}
