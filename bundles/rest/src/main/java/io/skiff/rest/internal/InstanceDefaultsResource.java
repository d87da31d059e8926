package io.skiff.rest.internal;

import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/instance-defaults}: what the Core fills into a create ({@code POST /instances}) that leaves cores,
 * memory or the profile out, as its settings say now. Read-only: the portal pre-fills its create form with it; the
 * values are changed in the Core's settings ({@code defaultCores}, {@code defaultMemoryMib} of
 * {@code io.skiff.core.instances}). Not under {@code /instances/}, where it would hide an instance named
 * {@code defaults}.
 */
@Component(service = InstanceDefaultsResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("instance-defaults")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceDefaultsResource {

    @Reference
    private InstanceService instances;

    @GET
    @RequiresPermission("instance.read")
    public InstanceDefaults get() {
        return instances.defaults();
    }
}
