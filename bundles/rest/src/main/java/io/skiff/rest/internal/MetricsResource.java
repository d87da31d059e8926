package io.skiff.rest.internal;

import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

/**
 * {@code /api/v1/metrics}: every metric in the Prometheus text exposition format, for a Prometheus server that
 * scrapes with a user holding {@code metrics.read} (see docs/user-guide/metrics.md).
 */
@Component(service = MetricsResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("metrics")
public class MetricsResource {

    @Reference
    private SkiffMetrics metrics;

    @GET
    @RequiresPermission("metrics.read")
    public Response scrape() {
        StreamingOutput body = metrics::scrape;
        return Response.ok(body).type(SkiffMetrics.CONTENT_TYPE).build();
    }
}
