package io.skiff.rest.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI document of every resource attached to the Skiff
 * application at this moment, vendors' included.
 */
@Component(service = OpenApiResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("openapi.json")
@Produces(MediaType.APPLICATION_JSON)
@PublicAccess
public class OpenApiResource {
    private final BundleContext context;

    @Activate
    public OpenApiResource(BundleContext context) {
        this.context = context;
    }

    @GET
    public Map<String, Object> document() throws InvalidSyntaxException {
        Set<Class<?>> classes = new LinkedHashSet<>();
        ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                "(&(osgi.jaxrs.resource=true)(osgi.jaxrs.application.select=*" + RestConstants.APP_NAME + "*))");
        if (refs != null) {
            for (ServiceReference<?> ref : refs) {
                Object service = context.getService(ref);
                if (service != null) {
                    try {
                        classes.add(service.getClass());
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
        }
        return OpenApiGenerator.generate(context.getBundle().getVersion().toString(), classes);
    }
}
