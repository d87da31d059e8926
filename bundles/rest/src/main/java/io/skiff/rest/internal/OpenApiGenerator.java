package io.skiff.rest.internal;

import io.skiff.api.service.RequiresPermission;

import javax.ws.rs.BeanParam;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HEAD;
import javax.ws.rs.OPTIONS;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the OpenAPI 3.0 document of the Skiff application from the JAX-RS annotations of its resource
 * classes and the records they take and return, so the document cannot drift from the code.
 */
final class OpenApiGenerator {
    private final Map<String, Object> schemas = new TreeMap<>();

    static Map<String, Object> generate(String version, Collection<Class<?>> resources) {
        return new OpenApiGenerator().document(version, resources);
    }

    private Map<String, Object> document(String version, Collection<Class<?>> resources) {
        Map<String, Object> paths = new TreeMap<>();
        List<Class<?>> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(Class::getName));
        for (Class<?> resource : sorted) {
            Path base = resource.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = "/" + trim(base.value()) + (sub == null ? "" : "/" + trim(sub.value()));
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path, p -> new TreeMap<>());
                item.put(verb, operation(resource, method, verb));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Skiff API", "version", version,
                "description", "The REST API of Skiff, a light self-hosted IaaS."));
        doc.put("servers", List.of(Map.of("url", "/api/v1")));
        doc.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", schemas);
        components.put("securitySchemes", Map.of(
                "basic", Map.of("type", "http", "scheme", "basic"),
                "bearer", Map.of("type", "http", "scheme", "bearer")));
        doc.put("components", components);
        doc.put("security", List.of(Map.of("basic", List.of()), Map.of("bearer", List.of())));
        return doc;
    }

    private Map<String, Object> operation(Class<?> resource, Method method, String verb) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("operationId", resource.getSimpleName().replace("Resource", "").toLowerCase(Locale.ROOT)
                + "." + method.getName());
        op.put("tags", List.of(resource.getSimpleName().replace("Resource", "")));
        RequiresPermission permission = method.getAnnotation(RequiresPermission.class);
        if (permission != null) {
            op.put("x-skiff-permission", permission.value());
        }
        if (method.isAnnotationPresent(PublicAccess.class) || resource.isAnnotationPresent(PublicAccess.class)) {
            op.put("security", List.of());
        }
        List<Object> parameters = new ArrayList<>();
        for (Parameter p : method.getParameters()) {
            if (p.isAnnotationPresent(Context.class)) {
                continue;
            }
            String in = null;
            String name = null;
            if (p.getAnnotation(PathParam.class) != null) {
                in = "path";
                name = p.getAnnotation(PathParam.class).value();
            } else if (p.getAnnotation(QueryParam.class) != null) {
                in = "query";
                name = p.getAnnotation(QueryParam.class).value();
            } else if (p.getAnnotation(HeaderParam.class) != null) {
                continue;
            } else if (p.isAnnotationPresent(BeanParam.class)) {
                for (Field f : p.getType().getDeclaredFields()) {
                    QueryParam query = f.getAnnotation(QueryParam.class);
                    if (query != null) {
                        parameters.add(Map.of("name", query.value(), "in", "query", "required", false,
                                "schema", schema(f.getGenericType())));
                    }
                }
                continue;
            }
            if (in != null) {
                parameters.add(Map.of("name", name, "in", in, "required", in.equals("path"),
                        "schema", schema(p.getParameterizedType())));
            } else {
                String media = consumes(resource, method);
                op.put("requestBody", Map.of("required", true,
                        "content", Map.of(media, Map.of("schema", schema(p.getParameterizedType())))));
            }
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Type returns = method.getGenericReturnType();
        String ok = verb.equals("delete") ? "204" : "200";
        if (returns == void.class || returns == Response.class) {
            responses.put(ok.equals("204") ? "204" : "2XX", Map.of("description", "success"));
        } else {
            responses.put(ok, Map.of("description", "success",
                    "content", Map.of("application/json", Map.of("schema", schema(returns)))));
        }
        Map<String, Object> error = Map.of("description", "error",
                "content", Map.of("application/json", Map.of("schema", schema(ErrorBody.class))));
        responses.put("default", error);
        op.put("responses", responses);
        return op;
    }

    private Map<String, Object> schema(Type type) {
        if (type instanceof ParameterizedType pt) {
            Class<?> raw = (Class<?>) pt.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schema(pt.getActualTypeArguments()[0]));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schema(pt.getActualTypeArguments()[1]));
            }
            return schema(raw);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (java.io.InputStream.class.isAssignableFrom(c)) {
            return Map.of("type", "string", "format", "binary");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return Map.of("type", "integer", "format", c == int.class || c == Integer.class ? "int32" : "int64");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return Map.of("type", "number");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString());
            }
            return Map.of("type", "string", "enum", values);
        }
        if (c.isRecord()) {
            String name = c.getSimpleName();
            if (!schemas.containsKey(name)) {
                schemas.put(name, Map.of());
                Map<String, Object> properties = new LinkedHashMap<>();
                for (RecordComponent rc : c.getRecordComponents()) {
                    properties.put(rc.getName(), schema(rc.getGenericType()));
                }
                schemas.put(name, Map.of("type", "object", "properties", properties));
            }
            return Map.of("$ref", "#/components/schemas/" + name);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return Map.of("type", "array", "items", Map.of());
        }
        return Map.of("type", "object");
    }

    private static String consumes(Class<?> resource, Method method) {
        Consumes c = method.getAnnotation(Consumes.class);
        if (c == null) {
            c = resource.getAnnotation(Consumes.class);
        }
        return c == null || c.value().length == 0 ? "application/json" : c.value()[0];
    }

    private static String verb(Method method) {
        for (Annotation a : method.getAnnotations()) {
            Class<? extends Annotation> t = a.annotationType();
            if (t == GET.class || t == POST.class || t == PUT.class || t == DELETE.class || t == HEAD.class
                    || t == OPTIONS.class) {
                return t.getSimpleName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String trim(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
