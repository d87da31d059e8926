package io.skiff.rest.internal;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.DTOConstants;
import org.osgi.service.jaxrs.runtime.dto.ExtensionDTO;
import org.osgi.service.jaxrs.runtime.dto.FailedApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.FailedResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which components /health expects, and what it reports missing from the whiteboard's runtime DTO. */
class WhiteboardReadinessTest {

    private static ComponentDescriptionDTO component(String name, Map<String, Object> properties) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        d.properties = properties;
        return d;
    }

    private static ComponentConfigurationDTO configuration(long id, int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.id = id;
        c.state = state;
        return c;
    }

    private static final Map<String, Object> RESOURCE = Map.of("osgi.jaxrs.resource", "true",
            "osgi.jaxrs.application.select", "(osgi.jaxrs.name=skiff)");
    private static final Map<String, Object> EXTENSION = Map.of("osgi.jaxrs.extension", "true",
            "osgi.jaxrs.application.select", "(osgi.jaxrs.name=skiff)");

    private static RuntimeDTO runtime(long[] resources, long[] extensions) {
        ApplicationDTO app = new ApplicationDTO();
        app.name = "skiff";
        app.serviceId = 1;
        app.resourceDTOs = new ResourceDTO[resources.length];
        for (int i = 0; i < resources.length; i++) {
            app.resourceDTOs[i] = new ResourceDTO();
            app.resourceDTOs[i].serviceId = resources[i];
        }
        app.extensionDTOs = new ExtensionDTO[extensions.length];
        for (int i = 0; i < extensions.length; i++) {
            app.extensionDTOs[i] = new ExtensionDTO();
            app.extensionDTOs[i].serviceId = extensions[i];
        }
        RuntimeDTO r = new RuntimeDTO();
        r.applicationDTOs = new ApplicationDTO[]{app};
        return r;
    }

    @Test
    void onlySkiffResourcesAndExtensionsAreExpected() {
        assertEquals("resource", WhiteboardReadiness.kindOf(RESOURCE));
        assertEquals("extension", WhiteboardReadiness.kindOf(EXTENSION));
        assertEquals(null, WhiteboardReadiness.kindOf(Map.of("osgi.jaxrs.resource", "true")), "other application");
        assertEquals(null, WhiteboardReadiness.kindOf(Map.of("osgi.jaxrs.name", "skiff")), "the application itself");
        assertEquals(null, WhiteboardReadiness.kindOf(Map.of("osgi.jaxrs.resource", "false",
                "osgi.jaxrs.application.select", "(osgi.jaxrs.name=skiff)")));
        assertEquals(null, WhiteboardReadiness.kindOf(Map.of("osgi.jaxrs.resource", "true",
                "osgi.jaxrs.application.select", "(osgi.jaxrs.name=skiffy)")), "a name that only starts alike");
        assertTrue(WhiteboardReadiness.expectation(component("x", RESOURCE), false, List.of(), id -> 7L).isEmpty(),
                "disabled components are not expected");
    }

    @Test
    void registeredServiceIsExpectedWithItsServiceId() {
        Optional<WhiteboardReadiness.Expected> e = WhiteboardReadiness.expectation(component("PoolResource", RESOURCE),
                true, List.of(configuration(3, ComponentConfigurationDTO.SATISFIED)), id -> id == 3 ? 42L : null);
        assertEquals(new WhiteboardReadiness.Expected("PoolResource", "resource", 42L, null), e.orElseThrow());
    }

    @Test
    void unsatisfiedComponentIsMissingWithItsReferences() {
        ComponentConfigurationDTO c = configuration(4, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO ref = new UnsatisfiedReferenceDTO();
        ref.name = "instances";
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[]{ref};
        WhiteboardReadiness.Expected e = WhiteboardReadiness.expectation(component("InstanceResource", RESOURCE),
                true, List.of(c), id -> null).orElseThrow();
        List<Map<String, Object>> missing = WhiteboardReadiness.missing(List.of(e), runtime(new long[0], new long[0]));
        assertEquals(1, missing.size());
        assertEquals("InstanceResource", missing.get(0).get("name"));
        assertEquals("unsatisfied reference instances", missing.get(0).get("reason"));
    }

    @Test
    void allBoundIsReadyAndARegisteredButUnboundResourceIsMissing() {
        List<WhiteboardReadiness.Expected> expected = List.of(
                new WhiteboardReadiness.Expected("PoolResource", "resource", 10L, null),
                new WhiteboardReadiness.Expected("HealthResource", "resource", 11L, null),
                new WhiteboardReadiness.Expected("AuthFilter", "extension", 12L, null));
        assertEquals(List.of(), WhiteboardReadiness.missing(expected, runtime(new long[]{10, 11}, new long[]{12})));

        List<Map<String, Object>> missing = WhiteboardReadiness.missing(expected, runtime(new long[]{11}, new long[]{12}));
        assertEquals(1, missing.size(), missing.toString());
        assertEquals("PoolResource", missing.get(0).get("name"));
        assertEquals("registered, not bound by the whiteboard yet", missing.get(0).get("reason"));
    }

    @Test
    void failedResourceIsMissingWithTheWhiteboardReason() {
        RuntimeDTO r = runtime(new long[]{11}, new long[0]);
        FailedResourceDTO failed = new FailedResourceDTO();
        failed.serviceId = 10;
        failed.failureReason = DTOConstants.FAILURE_REASON_REQUIRED_EXTENSIONS_UNAVAILABLE;
        r.failedResourceDTOs = new FailedResourceDTO[]{failed};
        List<Map<String, Object>> missing = WhiteboardReadiness.missing(
                List.of(new WhiteboardReadiness.Expected("PoolResource", "resource", 10L, null)), r);
        assertEquals("whiteboard failed it: required extensions unavailable", missing.get(0).get("reason"));
    }

    @Test
    void noWhiteboardOrNoApplicationIsNotReady() {
        List<WhiteboardReadiness.Expected> expected = List.of(
                new WhiteboardReadiness.Expected("PoolResource", "resource", 10L, null));
        assertEquals("no JAX-RS whiteboard runtime service",
                WhiteboardReadiness.missing(expected, null).get(0).get("reason"));
        RuntimeDTO empty = new RuntimeDTO();
        FailedApplicationDTO failedApp = new FailedApplicationDTO();
        failedApp.name = "skiff";
        failedApp.failureReason = DTOConstants.FAILURE_REASON_DUPLICATE_NAME;
        empty.failedApplicationDTOs = new FailedApplicationDTO[]{failedApp};
        List<Map<String, Object>> missing = WhiteboardReadiness.missing(expected, empty);
        assertEquals("application failed: duplicate name", missing.get(0).get("reason"));
        assertEquals(2, missing.size(), "the resource is listed too");
        assertTrue(WhiteboardReadiness.missing(List.of(), runtime(new long[0], new long[0])).size() == 1,
                "no expected component at all is never ready");
    }

    @Test
    void fingerprintFollowsBindingsAndChangeCount() {
        String a = WhiteboardReadiness.fingerprint(runtime(new long[]{10, 11}, new long[]{12}), 5L);
        assertEquals(a, WhiteboardReadiness.fingerprint(runtime(new long[]{11, 10}, new long[]{12}), 5L));
        assertNotEquals(a, WhiteboardReadiness.fingerprint(runtime(new long[]{10}, new long[]{12}), 5L));
        assertNotEquals(a, WhiteboardReadiness.fingerprint(runtime(new long[]{10, 11}, new long[]{12}), 6L));
    }
}
