package io.skiff.profiles.standard.internal;

import io.skiff.api.Skiff;
import io.skiff.api.spi.GuestProfile;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/**
 * One guest profile per factory configuration of {@code io.skiff.profile} ({@code etc/io.skiff.profile-<name>.cfg}).
 * <p>
 * The component registers its {@link GuestProfile} itself rather than through DS's {@code service} attribute: DS would
 * publish the service before {@code activate} runs (delayed components), so an invalid file would still show up as a
 * provider. Here a refused configuration leaves one error line in the log and no service, and {@code skiff.provider} is
 * always the validated {@code name}. A changed file re-activates the component, which re-registers the profile.
 */
@Component(configurationPid = ConfiguredGuestProfile.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ProfileConfig.class, factory = true)
public class ConfiguredGuestProfile {
    static final String FACTORY_PID = "io.skiff.profile";
    static final String PROVIDER = Skiff.PROVIDER_PROPERTY;
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredGuestProfile.class);

    private ServiceRegistration<GuestProfile> registration;

    @Activate
    void activate(BundleContext context, ProfileConfig config, Map<String, Object> properties) {
        String source = source(properties);
        StandardGuestProfile profile;
        try {
            profile = StandardGuestProfile.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Guest profile {} refused, no GuestProfile service registered: {}", source, e.getMessage());
            return;
        }
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(PROVIDER, profile.name());
        serviceProperties.put(Constants.SERVICE_DESCRIPTION, profile.description());
        registration = context.registerService(GuestProfile.class, profile, serviceProperties);
        LOG.info("Guest profile {} registered from {}: {}", profile.name(), source, profile.devices());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
            registration = null;
        }
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return String.valueOf(file != null ? file : properties.get(Constants.SERVICE_PID));
    }
}
