package io.skiff.profiles.standard.internal;

import io.skiff.api.Skiff;
import io.skiff.api.spi.GuestProfile;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The component publishes a valid profile under its name and nothing for an invalid one. */
class ConfiguredGuestProfileTest {

    /** What a fake {@link BundleContext} saw. */
    private static final class Recorder {
        final List<Object> services = new ArrayList<>();
        final List<Dictionary<?, ?>> properties = new ArrayList<>();
        int unregistered;

        BundleContext context() {
            ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                        if (m.getName().equals("unregister")) {
                            unregistered++;
                        }
                        return null;
                    });
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                        if (!m.getName().equals("registerService")) {
                            throw new UnsupportedOperationException(m.getName());
                        }
                        assertEquals(GuestProfile.class, a[0]);
                        services.add(a[1]);
                        properties.add((Dictionary<?, ?>) a[2]);
                        return registration;
                    });
        }
    }

    @Test
    void validConfigurationRegistersAGuestProfileNamedAfterIt() throws Exception {
        Recorder r = new Recorder();
        ConfiguredGuestProfile component = new ConfiguredGuestProfile();
        component.activate(r.context(), TestConfigs.config(TestConfigs.load("windows")),
                Map.of("felix.fileinstall.filename", "file:/opt/skiff/etc/io.skiff.profile-windows.cfg"));

        assertEquals(1, r.services.size());
        GuestProfile profile = (GuestProfile) r.services.get(0);
        assertEquals("windows", profile.name());
        assertEquals("sata", profile.devices().diskBus());
        assertEquals("windows", r.properties.get(0).get(Skiff.PROVIDER_PROPERTY));
        assertSame(profile.description(), r.properties.get(0).get("service.description"));

        component.deactivate();
        assertEquals(1, r.unregistered);
    }

    @Test
    void invalidConfigurationRegistersNothing() throws Exception {
        Recorder r = new Recorder();
        Map<String, String> values = TestConfigs.load("legacy");
        values.put("nicModel", "rtl8193");
        ConfiguredGuestProfile component = new ConfiguredGuestProfile();
        component.activate(r.context(), TestConfigs.config(values), Map.of("service.pid", "io.skiff.profile~legacy"));

        assertTrue(r.services.isEmpty());
        component.deactivate();
        assertEquals(0, r.unregistered);
    }
}
