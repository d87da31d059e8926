package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SessionToken;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

/** {@code /api/v1/sessions}: sign in for a bearer token, sign out to revoke it. */
@Component(service = SessionResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Reference
    private AuthService auth;

    @Context
    private HttpServletRequest servletRequest;

    @POST
    @PublicAccess
    public Response create(Requests.SessionCreate body) {
        Requests.required(body);
        if (body.user() == null || body.user().isEmpty()) {
            throw SkiffException.invalid("user", "user is required");
        }
        if (body.password() == null) {
            throw SkiffException.invalid("password", "password is required");
        }
        if (servletRequest != null) {
            // lets the operation log name the user of a failed sign-in
            servletRequest.setAttribute(OperationLogFilter.CLAIMED_USER, body.user());
        }
        SessionToken token = auth.createSession(body.user(), body.password());
        return Response.status(201).entity(token).build();
    }

    @DELETE
    @RequiresPermission("session.delete")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = AuthFilter.bearerToken(authorization);
        if (token != null) {
            auth.revokeToken(token);
        }
        return Response.noContent().build();
    }
}
