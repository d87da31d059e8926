package io.skiff.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/** Turns every failure into the error JSON with a fitting status; never leaks a stack trace. */
@Component(service = ExceptionMapper.class, property = {RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.name=skiff.errors"})
public class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable exception) {
        return map(exception);
    }

    static Response map(Throwable exception) {
        Mapped mapped = classify(exception);
        return response(mapped.status(), mapped.body());
    }

    /** An error answer before it becomes an HTTP response. */
    record Mapped(int status, ErrorBody body) {
    }

    static Mapped classify(Throwable exception) {
        JsonProcessingException json = find(exception, JsonProcessingException.class);
        if (json != null) {
            return json(json);
        }
        if (exception instanceof SkiffException e) {
            if (e.kind() == SkiffException.Kind.INTERNAL) {
                LOG.error("internal error", e);
            }
            return new Mapped(e.kind().status(), ErrorBody.of(e.code(), e.getMessage(), e.field()));
        }
        if (exception instanceof WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            String code = switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 406 -> "not-acceptable";
                case 415 -> "unsupported-media-type";
                default -> status < 500 ? "invalid" : "internal";
            };
            String message = status == 404 ? "no such resource" : e.getMessage();
            return new Mapped(status, ErrorBody.of(code, message, null));
        }
        LOG.error("unexpected error", exception);
        return new Mapped(500, ErrorBody.of("internal", "internal error: " + exception.getClass().getSimpleName(),
                null));
    }

    private static Mapped json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return new Mapped(400, ErrorBody.of("invalid", "unknown field '" + u.getPropertyName() + "'",
                    u.getPropertyName()));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                    .collect(Collectors.joining("."));
            return new Mapped(400, ErrorBody.of("invalid", "field '" + field + "' has a wrong type or value", field));
        }
        return new Mapped(400, ErrorBody.of("invalid", "malformed JSON: " + e.getOriginalMessage(), "body"));
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    static Response response(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
