package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.ReadinessService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/health}: UP once the Core is ready and the admin account exists; no credentials needed. */
@Component(service = HealthResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
@PublicAccess
public class HealthResource {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReadinessService readiness;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuthService auth;

    @GET
    public Response health() {
        ReadinessService core = readiness;
        AuthService authService = auth;
        boolean up = core != null && core.ready() && authService != null && authService.adminReady();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("core", core == null ? "absent" : core.ready() ? "ready" : "starting");
        body.put("auth", authService == null ? "absent" : authService.adminReady() ? "ready" : "starting");
        if (core != null) {
            body.putAll(core.details());
        }
        return Response.status(up ? 200 : 503).entity(body).build();
    }
}
