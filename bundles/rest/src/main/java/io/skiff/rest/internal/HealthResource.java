package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.ReadinessService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/health}, no credentials needed: {@code UP} (200) once the Core is ready, the admin account
 * exists and the JAX-RS whiteboard serves every resource and extension of the Skiff application (see
 * {@link WhiteboardReadiness}) and has not rebound anything for {@link #SETTLE_MILLIS}; otherwise {@code STARTING}
 * (503) with {@code missing} listing what is not live yet.
 */
@Component(service = HealthResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
@PublicAccess
public class HealthResource {
    /**
     * The whiteboard rebuilds the application's CXF endpoint each time a service joins it; requests that arrive
     * during a rebuild fail (404 "No service was found", 500 "incomingObserver is null"). UP waits until the set
     * of bound services has not changed for this long.
     */
    static final long SETTLE_MILLIS = 1000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ReadinessService readiness;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuthService auth;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceComponentRuntime scr;

    private final SettleTimer settle = new SettleTimer(SETTLE_MILLIS);
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @GET
    public Response health() {
        ReadinessService core = readiness;
        AuthService authService = auth;
        boolean coreUp = core != null && core.ready() && authService != null && authService.adminReady();
        List<Map<String, Object>> missing = restMissing();
        boolean restUp = missing.isEmpty();
        boolean up = coreUp && restUp;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "STARTING");
        body.put("core", core == null ? "absent" : core.ready() ? "ready" : "starting");
        body.put("auth", authService == null ? "absent" : authService.adminReady() ? "ready" : "starting");
        body.put("rest", restUp ? "ready" : "starting");
        if (!restUp) {
            body.put("missing", missing);
        }
        if (core != null) {
            body.putAll(core.details());
        }
        return Response.status(up ? 200 : 503).entity(body).build();
    }

    /** @return what of the Skiff REST application is not live yet; empty when all is and has settled */
    private List<Map<String, Object>> restMissing() {
        BundleContext ctx = context;
        ServiceComponentRuntime runtime = scr;
        if (ctx == null || runtime == null) {
            return List.of(WhiteboardReadiness.item("scr", "runtime", "no Service Component Runtime"));
        }
        List<WhiteboardReadiness.Expected> expected = new ArrayList<>();
        for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs(ctx.getBundle())) {
            WhiteboardReadiness.expectation(d, runtime.isComponentEnabled(d), runtime.getComponentConfigurationDTOs(d),
                    id -> serviceId(ctx, id)).ifPresent(expected::add);
        }
        ServiceReference<JaxrsServiceRuntime> ref = ctx.getServiceReference(JaxrsServiceRuntime.class);
        RuntimeDTO dto = null;
        Object changeCount = null;
        if (ref != null) {
            JaxrsServiceRuntime whiteboard = ctx.getService(ref);
            if (whiteboard != null) {
                try {
                    dto = whiteboard.getRuntimeDTO();
                    changeCount = ref.getProperty(Constants.SERVICE_CHANGECOUNT);
                } finally {
                    ctx.ungetService(ref);
                }
            }
        }
        List<Map<String, Object>> missing = WhiteboardReadiness.missing(expected, dto);
        if (!missing.isEmpty()) {
            settle.settled(null, System.nanoTime());
            return missing;
        }
        if (!settle.settled(WhiteboardReadiness.fingerprint(dto, changeCount), System.nanoTime())) {
            return List.of(WhiteboardReadiness.item(RestConstants.APP_NAME, "application",
                    "whiteboard settling: bindings unchanged for less than " + SETTLE_MILLIS + " ms"));
        }
        return List.of();
    }

    private static Long serviceId(BundleContext ctx, long componentId) {
        try {
            ServiceReference<?>[] refs = ctx.getServiceReferences((String) null, "(component.id=" + componentId + ")");
            return refs == null || refs.length == 0 ? null : (Long) refs[0].getProperty(Constants.SERVICE_ID);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
