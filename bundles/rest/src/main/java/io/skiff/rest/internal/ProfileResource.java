package io.skiff.rest.internal;

import io.skiff.api.service.RequiresPermission;
import io.skiff.api.spi.GuestProfile;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@code /api/v1/profiles}: the guest-OS device profiles an instance can be created with. */
@Component(service = ProfileResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("profiles")
@Produces(MediaType.APPLICATION_JSON)
public class ProfileResource {

    /** One profile as the API shows it. */
    public record ProfileView(String name, String description, io.skiff.api.spi.DeviceProfile devices) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final List<GuestProfile> profiles = new CopyOnWriteArrayList<>();

    @GET
    @RequiresPermission("instance.read")
    public List<ProfileView> list() {
        return profiles.stream().map(p -> new ProfileView(p.name(), p.description(), p.devices()))
                .sorted(Comparator.comparing(ProfileView::name)).toList();
    }
}
