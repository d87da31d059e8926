package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * Every operation but those marked {@link PublicAccess} needs a user, by HTTP Basic or a bearer token from
 * {@code POST /sessions}; then the operation's {@link RequiresPermission} must be granted, else 403 naming it. The
 * user is the one {@link AuthenticateFirstFilter} authenticated before the request was matched (it is authenticated
 * here only when that filter did not run).
 */
@Component(service = ContainerRequestFilter.class, property = {RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.name=skiff.auth"})
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuthService auth;

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (method == null || method.isAnnotationPresent(PublicAccess.class)
                || method.getDeclaringClass().isAnnotationPresent(PublicAccess.class)) {
            return;
        }
        AuthenticatedUser user = request.getProperty(RestConstants.USER_PROPERTY) instanceof AuthenticatedUser first
                ? first : null;
        if (user == null) {
            AuthService service = auth;
            if (service == null) {
                request.abortWith(unavailable());
                return;
            }
            try {
                user = authenticate(service, request.getHeaderString(HttpHeaders.AUTHORIZATION));
            } catch (SkiffException e) {
                request.abortWith(unauthenticated(e));
                return;
            }
        }
        // set before the permission check: a refused call is logged with the user who made it
        request.setProperty(RestConstants.USER_PROPERTY, user);
        RequiresPermission permission = method.getAnnotation(RequiresPermission.class);
        if (permission != null && !user.hasPermission(permission.value())) {
            request.abortWith(ErrorMapper.response(403, ErrorBody.of("forbidden",
                    "user '" + user.name() + "' lacks permission '" + permission.value() + "'", null)));
            return;
        }
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new UserSecurityContext(user, secure));
    }

    /** @return the answer while no authentication service is bound: {@code 503} */
    static Response unavailable() {
        return ErrorMapper.response(503, ErrorBody.of("unavailable", "authentication is not available yet", null));
    }

    /** @return the answer to a caller without valid credentials: {@code 401} asking for them */
    static Response unauthenticated(SkiffException e) {
        return Response.fromResponse(ErrorMapper.map(e)).header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"skiff\"")
                .build();
    }

    /** @return the token of a {@code Bearer} Authorization header, or {@code null} when it has none */
    static String bearerToken(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    static AuthenticatedUser authenticate(AuthService service, String header) {
        if (header == null || header.isBlank()) {
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "credentials required: HTTP Basic or a bearer token from POST /api/v1/sessions", null);
        }
        String token = bearerToken(header);
        if (token != null) {
            return service.verifyToken(token);
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                        "malformed Basic credentials", null);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                        "malformed Basic credentials", null);
            }
            return service.login(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                "unsupported authorization scheme", null);
    }

    private record UserSecurityContext(AuthenticatedUser user, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return user::name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return user.hasRole(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "skiff";
        }
    }
}
