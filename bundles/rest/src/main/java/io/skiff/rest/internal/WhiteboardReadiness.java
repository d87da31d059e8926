package io.skiff.rest.internal;

import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.BaseDTO;
import org.osgi.service.jaxrs.runtime.dto.DTOConstants;
import org.osgi.service.jaxrs.runtime.dto.FailedApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Whether the JAX-RS whiteboard serves every resource and extension of the Skiff application.
 *
 * <p>The expected set is not a list kept by hand: it is every enabled DS component of the REST bundle whose
 * properties make it a whiteboard resource or extension of the Skiff application ({@code osgi.jaxrs.resource=true}
 * or {@code osgi.jaxrs.extension=true} with {@code osgi.jaxrs.application.select=(osgi.jaxrs.name=skiff)}), read
 * from the Service Component Runtime. A component counts as live when its service is registered and its service id
 * appears in the {@code skiff} {@link ApplicationDTO} of the whiteboard's {@link RuntimeDTO}. Pure logic over DTOs,
 * so it is unit tested without a framework.
 */
final class WhiteboardReadiness {

    /** One expected whiteboard service: the component that provides it, and its registered service id if any. */
    record Expected(String component, String kind, Long serviceId, String notRegisteredBecause) {
    }

    private WhiteboardReadiness() {
    }

    /**
     * @param description    a component description of the REST bundle
     * @param enabled        whether the component is enabled
     * @param configurations its configurations
     * @param serviceIdOf    service id registered for a component configuration id, or null
     * @return the expectation if the component is a resource or extension of the Skiff application
     */
    static Optional<Expected> expectation(ComponentDescriptionDTO description, boolean enabled,
                                          Collection<ComponentConfigurationDTO> configurations,
                                          LongFunction<Long> serviceIdOf) {
        String kind = kindOf(description.properties);
        if (kind == null || !enabled) {
            return Optional.empty();
        }
        List<String> why = new ArrayList<>();
        for (ComponentConfigurationDTO c : configurations == null ? List.<ComponentConfigurationDTO>of() : configurations) {
            if (c.state == ComponentConfigurationDTO.SATISFIED || c.state == ComponentConfigurationDTO.ACTIVE) {
                Long id = serviceIdOf.apply(c.id);
                if (id != null) {
                    return Optional.of(new Expected(description.name, kind, id, null));
                }
                why.add("service not registered yet");
            } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                TreeSet<String> refs = new TreeSet<>();
                for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences == null ? new UnsatisfiedReferenceDTO[0]
                        : c.unsatisfiedReferences) {
                    refs.add(r.name);
                }
                why.add("unsatisfied reference " + String.join(", ", refs));
            } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                why.add("configuration missing");
            } else if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                why.add("activation failed: " + c.failure);
            }
        }
        if (why.isEmpty()) {
            why.add("no component configuration");
        }
        return Optional.of(new Expected(description.name, kind, null, String.join("; ", why)));
    }

    /** @return "resource" or "extension" for a Skiff whiteboard service, null for anything else */
    static String kindOf(Map<String, Object> properties) {
        if (properties == null) {
            return null;
        }
        Object select = properties.get("osgi.jaxrs.application.select");
        if (select == null || !String.valueOf(select).contains("osgi.jaxrs.name=" + RestConstants.APP_NAME + ")")) {
            return null;
        }
        if (isTrue(properties.get("osgi.jaxrs.resource"))) {
            return "resource";
        }
        if (isTrue(properties.get("osgi.jaxrs.extension"))) {
            return "extension";
        }
        return null;
    }

    private static boolean isTrue(Object value) {
        if (value instanceof String[] a) {
            return a.length == 1 && "true".equalsIgnoreCase(a[0]);
        }
        return value != null && "true".equalsIgnoreCase(String.valueOf(value));
    }

    /**
     * @param expected the expected Skiff resources and extensions
     * @param runtime  the whiteboard's runtime DTO, or null when there is no whiteboard
     * @return what is not live yet, one map per item ({@code name}, {@code kind}, {@code reason}); empty when all is
     */
    static List<Map<String, Object>> missing(Collection<Expected> expected, RuntimeDTO runtime) {
        List<Map<String, Object>> missing = new ArrayList<>();
        if (expected.isEmpty()) {
            missing.add(item("skiff", "application", "no Skiff resource component found"));
            return missing;
        }
        if (runtime == null) {
            missing.add(item("jaxrs-whiteboard", "runtime", "no JAX-RS whiteboard runtime service"));
            return missing;
        }
        ApplicationDTO app = null;
        for (ApplicationDTO a : nonNull(runtime.applicationDTOs)) {
            if (RestConstants.APP_NAME.equals(a.name)) {
                app = a;
            }
        }
        if (app == null) {
            String reason = "application not deployed yet";
            for (FailedApplicationDTO f : nonNull(runtime.failedApplicationDTOs)) {
                if (RestConstants.APP_NAME.equals(f.name)) {
                    reason = "application failed: " + failure(f.failureReason);
                }
            }
            missing.add(item(RestConstants.APP_NAME, "application", reason));
        }
        Map<Long, String> bound = new HashMap<>();
        if (app != null) {
            for (BaseDTO r : nonNull(app.resourceDTOs)) {
                bound.put(r.serviceId, "resource");
            }
            for (BaseDTO e : nonNull(app.extensionDTOs)) {
                bound.put(e.serviceId, "extension");
            }
        }
        Map<Long, Integer> failed = new HashMap<>();
        nonNull(runtime.failedResourceDTOs).forEach(f -> failed.put(f.serviceId, f.failureReason));
        nonNull(runtime.failedExtensionDTOs).forEach(f -> failed.put(f.serviceId, f.failureReason));
        for (Expected e : expected) {
            if (e.serviceId() == null) {
                missing.add(item(e.component(), e.kind(), e.notRegisteredBecause()));
            } else if (Objects.equals(bound.get(e.serviceId()), e.kind())) {
                continue;
            } else if (failed.containsKey(e.serviceId())) {
                missing.add(item(e.component(), e.kind(), "whiteboard failed it: " + failure(failed.get(e.serviceId()))));
            } else {
                missing.add(item(e.component(), e.kind(), "registered, not bound by the whiteboard yet"));
            }
        }
        return missing;
    }

    /**
     * @return a fingerprint of what the whiteboard serves for Skiff: changes whenever it rebinds anything
     */
    static String fingerprint(RuntimeDTO runtime, Object changeCount) {
        TreeSet<Long> ids = new TreeSet<>();
        if (runtime != null) {
            for (ApplicationDTO a : nonNull(runtime.applicationDTOs)) {
                if (RestConstants.APP_NAME.equals(a.name)) {
                    ids.add(a.serviceId);
                    nonNull(a.resourceDTOs).forEach(r -> ids.add(r.serviceId));
                    nonNull(a.extensionDTOs).forEach(r -> ids.add(r.serviceId));
                }
            }
        }
        return changeCount + ":" + ids;
    }

    static String failure(int reason) {
        return switch (reason) {
            case DTOConstants.FAILURE_REASON_NOT_AN_EXTENSION_TYPE -> "not an extension type";
            case DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE -> "shadowed by another service";
            case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE -> "service not gettable";
            case DTOConstants.FAILURE_REASON_VALIDATION_FAILED -> "validation failed";
            case DTOConstants.FAILURE_REASON_REQUIRED_EXTENSIONS_UNAVAILABLE -> "required extensions unavailable";
            case DTOConstants.FAILURE_REASON_DUPLICATE_NAME -> "duplicate name";
            case DTOConstants.FAILURE_REASON_REQUIRED_APPLICATION_UNAVAILABLE -> "required application unavailable";
            default -> "failure reason " + reason;
        };
    }

    /** @return one entry of health's {@code missing} list, keys in the order name, kind, reason */
    static Map<String, Object> item(String name, String kind, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind);
        m.put("reason", reason);
        return m;
    }

    private static <T> List<T> nonNull(T[] array) {
        return array == null ? List.of() : Arrays.asList(array);
    }
}
