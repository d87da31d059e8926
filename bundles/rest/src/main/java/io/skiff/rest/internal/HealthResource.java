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
@Component(service = HealthResource.class, immediate = true,
        property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
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

    /**
     * How long every Skiff resource may stay registered but unserved (or the whiteboard's runtime DTO fail) before
     * the whiteboard bundle is restarted. Aries JAX-RS Whiteboard 2.0.2 can lose a race while it rebuilds itself
     * when Pax Web's configuration changes during start-up ({@code ConcurrentModificationException} in
     * {@code org.apache.aries.component.dsl.OSGi}); afterwards it never binds some resources again and
     * {@code getRuntimeDTO()} throws. Restarting its bundle makes it pick every resource service up again.
     */
    static final long RECOVER_AFTER_MILLIS = 20_000;
    /** At most one restart of the whiteboard in this long. */
    static final long RECOVER_EVERY_MILLIS = 120_000;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthResource.class);

    private final SettleTimer settle = new SettleTimer(SETTLE_MILLIS);
    private volatile BundleContext context;
    private java.util.concurrent.ScheduledExecutorService watchdog;
    private long stuckSince = -1;
    private long lastRecovery = -1;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-rest-whiteboard-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::watch, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        watchdog.shutdownNow();
    }

    /** Restarts the whiteboard bundle when it has left Skiff's resources unserved for too long. */
    private void watch() {
        try {
            restMissing();
            probe();
        } catch (RuntimeException e) {
            LOG.debug("whiteboard watchdog: {}", e.toString());
        }
    }

    /** Where Karaf serves HTTP, for the watchdog's own request; optional (without it there is no probe). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.osgi.service.cm.ConfigurationAdmin configAdmin;
    private long unservedSince = -1;

    /**
     * Asks this node's own {@code /api/v1/health} over loopback. The whiteboard can also fail in a way its runtime
     * DTO does not show: every Skiff resource listed as served, yet CXF answers every request 404 ("No service was
     * found") — then {@link #health} itself is never reached. Such a 404 that lasts {@link #RECOVER_AFTER_MILLIS}
     * restarts the whiteboard too. Anything but a 404 (a refused connection where HTTP is not on loopback, say)
     * says nothing and is ignored. Only the watchdog's thread runs it, and it holds no lock while it asks: the
     * request it makes runs {@link #health}, which takes this object's monitor.
     */
    private void probe() {
        BundleContext ctx = context;
        int port = httpPort();
        if (ctx == null || port <= 0) {
            return;
        }
        int status;
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(
                    "http://127.0.0.1:" + port + "/api/v1/health").openConnection();
            c.setConnectTimeout(3000);
            c.setReadTimeout(3000);
            status = c.getResponseCode();
            c.disconnect();
        } catch (java.io.IOException e) {
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        if (status != 404) {
            unservedSince = -1;
            return;
        }
        if (unservedSince < 0) {
            unservedSince = now;
            return;
        }
        if (now - unservedSince >= RECOVER_AFTER_MILLIS) {
            ServiceReference<JaxrsServiceRuntime> ref = ctx.getServiceReference(JaxrsServiceRuntime.class);
            if (ref != null && restartWhiteboard(ref, List.of(WhiteboardReadiness.item(RestConstants.APP_NAME,
                    "application", "GET /api/v1/health answers 404 on loopback")))) {
                unservedSince = -1;
            }
        }
    }

    private int httpPort() {
        org.osgi.service.cm.ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return -1;
        }
        try {
            org.osgi.service.cm.Configuration web = admin.getConfiguration("org.ops4j.pax.web", null);
            Object port = web == null || web.getProperties() == null ? null
                    : web.getProperties().get("org.osgi.service.http.port");
            return port == null ? 8181 : Integer.parseInt(String.valueOf(port).strip());
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
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
    private synchronized List<Map<String, Object>> restMissing() {
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
        String broken = null;
        if (ref != null) {
            JaxrsServiceRuntime whiteboard = ctx.getService(ref);
            if (whiteboard != null) {
                try {
                    dto = whiteboard.getRuntimeDTO();
                    changeCount = ref.getProperty(Constants.SERVICE_CHANGECOUNT);
                } catch (RuntimeException e) {
                    broken = "the whiteboard cannot describe itself: " + e;
                } finally {
                    ctx.ungetService(ref);
                }
            }
        }
        List<Map<String, Object>> missing = broken != null
                ? List.of(WhiteboardReadiness.item("jaxrs-whiteboard", "runtime", broken))
                : WhiteboardReadiness.missing(expected, dto);
        boolean allRegistered = !expected.isEmpty() && expected.stream().allMatch(e -> e.serviceId() != null);
        recoverIfStuck(ref, allRegistered && !missing.isEmpty(), missing);
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

    /**
     * Counts how long the whiteboard has left registered resources unserved; past {@link #RECOVER_AFTER_MILLIS}
     * it restarts the whiteboard's bundle (transiently, on its own thread), at most every
     * {@link #RECOVER_EVERY_MILLIS}.
     */
    private void recoverIfStuck(ServiceReference<JaxrsServiceRuntime> ref, boolean stuck,
                                List<Map<String, Object>> missing) {
        long now = System.nanoTime() / 1_000_000;
        if (!stuck || ref == null) {
            stuckSince = -1;
            return;
        }
        if (stuckSince < 0) {
            stuckSince = now;
            return;
        }
        if (now - stuckSince >= RECOVER_AFTER_MILLIS && restartWhiteboard(ref, missing)) {
            stuckSince = -1;
        }
    }

    /** Restarts the whiteboard's bundle on a thread of its own, at most every {@link #RECOVER_EVERY_MILLIS}. */
    private synchronized boolean restartWhiteboard(ServiceReference<JaxrsServiceRuntime> ref,
                                                   List<Map<String, Object>> missing) {
        long now = System.nanoTime() / 1_000_000;
        if (lastRecovery >= 0 && now - lastRecovery < RECOVER_EVERY_MILLIS) {
            return false;
        }
        org.osgi.framework.Bundle whiteboard = ref.getBundle();
        if (whiteboard == null) {
            return false;
        }
        lastRecovery = now;
        LOG.warn("the JAX-RS whiteboard has left Skiff's REST API incomplete for {} s ({}); restarting bundle {}",
                RECOVER_AFTER_MILLIS / 1000, missing, whiteboard.getSymbolicName());
        Thread restart = new Thread(() -> {
            try {
                whiteboard.stop(org.osgi.framework.Bundle.STOP_TRANSIENT);
                whiteboard.start(org.osgi.framework.Bundle.START_TRANSIENT);
                LOG.info("bundle {} restarted", whiteboard.getSymbolicName());
            } catch (org.osgi.framework.BundleException | RuntimeException e) {
                LOG.error("could not restart bundle {}: {}", whiteboard.getSymbolicName(), e.toString());
            }
        }, "skiff-rest-whiteboard-restart");
        restart.setDaemon(true);
        restart.start();
        return true;
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
