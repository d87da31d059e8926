package io.skiff.rest.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationLogRule;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.PathSegment;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Appends every state-changing call (any method but GET/HEAD/OPTIONS), every refused attempt (401, 403) and
 * every failed sign-in to the operation log: who, when, from which address, what, on which resource, the
 * outcome and the task it queued. Only names and identifiers are logged: never bodies, passwords or tokens.
 * Which calls are logged and with which outcome is the operation log's rule ({@link OperationLogRule}), the same
 * for the shell; this filter says only whether the request may change state and how it ended.
 */
@Component(service = ContainerResponseFilter.class, property = {RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.name=skiff.oplog"})
@Priority(Priorities.USER)
public class OperationLogFilter implements ContainerResponseFilter {
    private static final Logger LOG = LoggerFactory.getLogger(OperationLogFilter.class);
    /** Servlet request attribute naming the user a sign-in was attempted for. */
    static final String CLAIMED_USER = "skiff.claimedUser";
    /** Servlet request attribute naming the resource a request is about, when the path does not. */
    static final String RESOURCE = "skiff.resource";
    /** Requests with these methods only read (HTTP's safe methods); they are logged only when refused. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile OperationLog log;

    @Context
    private ResourceInfo resourceInfo;

    @Context
    private HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        OperationLog target = log;
        if (target == null) {
            return;
        }
        int status = response.getStatus();
        ErrorBody.Detail error = response.getEntity() instanceof ErrorBody e ? e.error() : null;
        String outcome = OperationLogRule.outcome(status, error == null ? null : error.code());
        if (!OperationLogRule.logged(changesState(request.getMethod()), outcome)) {
            return;
        }
        try {
            target.record(entry(request, response, outcome, error));
        } catch (RuntimeException e) {
            LOG.error("could not write the operation log: {}", e.toString());
        }
    }

    /** @return whether a request with this HTTP method may change state: all but the safe methods of HTTP */
    static boolean changesState(String method) {
        return !SAFE_METHODS.contains(method);
    }

    private OperationRecord entry(ContainerRequestContext request, ContainerResponseContext response, String outcome,
                                  ErrorBody.Detail error) {
        Object entity = response.getEntity();
        String taskId = entity instanceof TaskInfo t ? t.id() : null;
        return new OperationRecord(Instant.now(), user(request), address(), "rest",
                request.getMethod() + " " + template(request), resourceOf(request, entity), outcome,
                response.getStatus(), taskId, error == null ? null : error.message());
    }

    private String user(ContainerRequestContext request) {
        Object u = request.getProperty(RestConstants.USER_PROPERTY);
        if (u instanceof AuthenticatedUser a) {
            return a.name();
        }
        Object claimed = attribute(CLAIMED_USER);
        if (claimed != null) {
            return claimed.toString();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private Object attribute(String name) {
        try {
            return servletRequest == null ? null : servletRequest.getAttribute(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String address() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String resourceOf(ContainerRequestContext request, Object entity) {
        Object named = attribute(RESOURCE);
        return named != null ? named.toString() : resource(request, entity);
    }

    /** @return the matched operation, e.g. {@code /instances/{id}/start} */
    private String template(ContainerRequestContext request) {
        String route = Routes.template(resourceInfo);
        return route != null ? route : "/" + request.getUriInfo().getPath();
    }

    /** @return the collection and the named item, e.g. {@code instances/web-1}, from the path or the answer */
    static String resource(ContainerRequestContext request, Object entity) {
        List<PathSegment> segments = request.getUriInfo().getPathSegments();
        List<String> parts = segments.stream().map(PathSegment::getPath).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() >= 2) {
            return parts.get(0) + "/" + parts.get(1);
        }
        String named = nameOf(entity);
        return named == null ? parts.get(0) : parts.get(0) + "/" + named;
    }

    private static String nameOf(Object entity) {
        if (entity instanceof TaskInfo t) {
            return t.resources().stream().filter(r -> r.contains("-name:")).findFirst()
                    .map(r -> r.substring(r.indexOf(':') + 1)).orElse(null);
        }
        if (entity != null && entity.getClass().isRecord() && !(entity instanceof ErrorBody)) {
            for (RecordComponent c : entity.getClass().getRecordComponents()) {
                if (c.getName().equals("name")) {
                    try {
                        Object v = c.getAccessor().invoke(entity);
                        return v == null ? null : v.toString();
                    } catch (ReflectiveOperationException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
