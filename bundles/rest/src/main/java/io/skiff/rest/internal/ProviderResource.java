package io.skiff.rest.internal;

import io.skiff.api.model.ProviderInfo;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/providers}: the providers of every SPI on the Core's node, their bundles and dependants. */
@Component(service = ProviderResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    @Reference
    private ProviderService providers;

    @GET
    @RequiresPermission("provider.read")
    public List<ProviderInfo> list() {
        return providers.providers();
    }
}
