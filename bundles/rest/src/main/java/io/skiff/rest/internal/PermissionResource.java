package io.skiff.rest.internal;

import io.skiff.api.service.Permissions;
import io.skiff.api.service.RequiresPermission;
import org.osgi.service.component.annotations.Component;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.Map;

/** {@code /api/v1/permissions}: every named permission with what it allows (to build custom roles). */
@Component(service = PermissionResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("permissions")
@Produces(MediaType.APPLICATION_JSON)
public class PermissionResource {

    @GET
    @RequiresPermission("role.read")
    public Map<String, String> list() {
        return Permissions.CATALOG;
    }
}
