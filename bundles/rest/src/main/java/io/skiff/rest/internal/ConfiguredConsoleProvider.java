package io.skiff.rest.internal;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleProvider;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The console provider the REST API opens browser consoles with: the {@link ConsoleProvider} service whose
 * {@code skiff.provider} is the {@code consoleProvider} setting of {@code io.skiff.rest} ({@code vnc} unless set),
 * never simply whichever provider ranks highest. Providers are held through a dynamic, greedy reference, so one can
 * be added, updated or removed at run time, and a changed setting is taken without re-activating anything. Among
 * several services of the selected name the usual OSGi order decides (highest {@code service.ranking}, then the
 * oldest).
 */
@Component(service = ConfiguredConsoleProvider.class, configurationPid = ConfiguredConsoleProvider.PID)
@Designate(ocd = ConfiguredConsoleProvider.Config.class)
public class ConfiguredConsoleProvider {

    /** The configuration of the REST API ({@code etc/io.skiff.rest.cfg}). */
    static final String PID = "io.skiff.rest";

    @ObjectClassDefinition(name = "Skiff REST API", description = "Settings of the REST API")
    public @interface Config {
        @AttributeDefinition(description = "The skiff.provider of the ConsoleProvider that opens browser consoles "
                + "(vnc ships with Skiff, feature skiff-console-vnc)")
        String consoleProvider() default "vnc";
    }

    private record Registered(ConsoleProvider provider, String name, int ranking, long serviceId) {
    }

    private final List<Registered> providers = new CopyOnWriteArrayList<>();
    private volatile String selected = "vnc";

    @Activate
    @Modified
    void configure(Config config) {
        select(config.consoleProvider());
    }

    /** @param name the {@code skiff.provider} to open consoles with from now on */
    void select(String name) {
        selected = name == null || name.isBlank() ? "vnc" : name.strip();
    }

    @Reference(name = "consoleProviders", cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(ConsoleProvider provider, Map<String, Object> properties) {
        providers.add(new Registered(provider, String.valueOf(properties.get(Skiff.PROVIDER_PROPERTY)),
                properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0, serviceId(properties)));
    }

    void removeProvider(ConsoleProvider provider, Map<String, Object> properties) {
        // by service id: one object may be registered as several services
        long id = serviceId(properties);
        providers.removeIf(r -> r.serviceId() == id && r.provider() == provider);
    }

    private static long serviceId(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
    }

    /**
     * @return the selected provider
     * @throws SkiffException {@code UNAVAILABLE} ({@code provider-unavailable}, field {@code provider}) when no
     *     console provider of the selected name is registered
     */
    ConsoleProvider selected() {
        String name = selected;
        return providers.stream()
                .filter(r -> r.name().equals(name))
                .min(Comparator.comparingInt(Registered::ranking).reversed().thenComparingLong(Registered::serviceId))
                .map(Registered::provider)
                .orElseThrow(() -> SkiffException.providerUnavailable("ConsoleProvider", name, null));
    }
}
