package io.skiff.rest.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import java.time.Duration;

/**
 * Times every REST request, from before authentication to the answer's headers, into
 * {@code skiff_http_request_duration_seconds} by method, matched route ({@code /instances/{id}}; {@code unmatched}
 * for a path no resource has) and status.
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class},
        property = {RestConstants.EXTENSION, RestConstants.APP_SELECT, "osgi.jaxrs.name=skiff.timing"})
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestTimingFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = "skiff.started";

    @Reference
    private SkiffMetrics metrics;

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        if (started instanceof Long nanos) {
            String route = Routes.template(resourceInfo);
            metrics.requestServed(request.getMethod(), route == null ? "unmatched" : route, response.getStatus(),
                    Duration.ofNanos(System.nanoTime() - nanos));
        }
    }
}
