package io.skiff.rest.internal;

import io.skiff.api.model.ComponentActivation;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /api/v1/components}: the current activation (id and count) of each Core and Cell component on the
 * Core's node; unchanged by a live update of a provider bundle.
 */
@Component(service = ComponentResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("components")
@Produces(MediaType.APPLICATION_JSON)
public class ComponentResource {

    @Reference
    private ProviderService providers;

    @GET
    @RequiresPermission("provider.read")
    public List<ComponentActivation> list() {
        return providers.components();
    }
}
