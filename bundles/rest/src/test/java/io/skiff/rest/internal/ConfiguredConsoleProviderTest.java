package io.skiff.rest.internal;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import io.skiff.api.spi.ConsoleProvider;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The REST API opens consoles with the provider its setting names, not with whichever ranks highest. */
class ConfiguredConsoleProviderTest {

    /** a distinct object per call (a lambda without captures could be one shared instance) */
    private static ConsoleProvider provider() {
        return new ConsoleProvider() {
            @Override
            public ConsoleEndpoint endpoint(String instanceId) {
                return new ConsoleEndpoint("127.0.0.1", 5900, "pw");
            }
        };
    }

    private static Map<String, Object> properties(String name, int ranking, long serviceId) {
        return Map.of(Skiff.PROVIDER_PROPERTY, name, Constants.SERVICE_RANKING, ranking,
                Constants.SERVICE_ID, serviceId);
    }

    @Test
    void theSettingDefaultsToVnc() throws Exception {
        assertEquals("vnc", ConfiguredConsoleProvider.Config.class.getMethod("consoleProvider").getDefaultValue());
    }

    @Test
    void choosesTheNamedProviderEvenWhenAnotherRanksHigher() {
        ConfiguredConsoleProvider consoles = new ConfiguredConsoleProvider();
        ConsoleProvider vnc = provider();
        ConsoleProvider spice = provider();
        consoles.addProvider(spice, properties("spice", 100, 1));
        consoles.addProvider(vnc, properties("vnc", 0, 2));
        assertSame(vnc, consoles.selected(), "the default setting, vnc");

        consoles.select("spice");
        assertSame(spice, consoles.selected(), "a changed setting is taken at once");
    }

    @Test
    void aMissingProviderIsUnavailableByNameUntilItArrives() {
        ConfiguredConsoleProvider consoles = new ConfiguredConsoleProvider();
        consoles.addProvider(provider(), properties("spice", 0, 1));
        SkiffException e = assertThrows(SkiffException.class, consoles::selected);
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals("provider-unavailable", e.code());
        assertEquals("provider", e.field());
        assertEquals("provider vnc (ConsoleProvider) is not available", e.getMessage());

        ConsoleProvider vnc = provider();
        Map<String, Object> vncProperties = properties("vnc", 0, 2);
        consoles.addProvider(vnc, vncProperties);
        assertSame(vnc, consoles.selected(), "a provider that arrives later is used");
        consoles.removeProvider(vnc, vncProperties);
        assertThrows(SkiffException.class, consoles::selected, "and one that leaves is not");
    }

    @Test
    void amongProvidersOfTheSameNameTheUsualServiceOrderDecides() {
        ConfiguredConsoleProvider consoles = new ConfiguredConsoleProvider();
        ConsoleProvider old = provider();
        ConsoleProvider newer = provider();
        ConsoleProvider ranked = provider();
        consoles.addProvider(newer, properties("vnc", 0, 7));
        consoles.addProvider(old, properties("vnc", 0, 3));
        assertSame(old, consoles.selected(), "equal ranking: the lowest service id");
        Map<String, Object> rankedProperties = properties("vnc", 10, 9);
        consoles.addProvider(ranked, rankedProperties);
        assertSame(ranked, consoles.selected(), "the highest ranking");
        // an update replaces the service: the old one leaves, the others stay
        consoles.removeProvider(ranked, rankedProperties);
        assertSame(old, consoles.selected());
    }
}
