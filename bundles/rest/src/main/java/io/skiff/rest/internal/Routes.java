package io.skiff.rest.internal;

import java.lang.reflect.Method;

import javax.ws.rs.Path;
import javax.ws.rs.container.ResourceInfo;

/** The operation a request matched, as its path template ({@code /instances/{id}/start}). */
final class Routes {
    private Routes() {
    }

    /** @return the matched resource method's path template, or {@code null} when no resource method matched */
    static String template(ResourceInfo info) {
        Method m = info == null ? null : info.getResourceMethod();
        if (m == null) {
            return null;
        }
        Path type = m.getDeclaringClass().getAnnotation(Path.class);
        Path method = m.getAnnotation(Path.class);
        return "/" + (type == null ? "" : type.value()) + (method == null ? "" : "/" + method.value());
    }
}
