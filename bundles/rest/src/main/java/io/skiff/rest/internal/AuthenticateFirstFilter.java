package io.skiff.rest.internal;

import io.skiff.api.service.AuthService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.ImageService;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import javax.annotation.Priority;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authentication before anything else runs: before a request is matched to an operation, so that a caller without
 * valid credentials learns nothing from how the request would have been answered — not whether a resource exists
 * ({@code 404}), nor which content types an operation takes ({@code 415}) — but {@code 401}. Public requests pass:
 * {@code GET /health}, {@code GET /openapi.json}, sign-in ({@code POST /sessions}). The one-time-token transfers
 * between Core and cells pass with their token: a capture upload ({@code PUT /images/{id}/content}) only with the
 * token the Core expects for that image; a download ({@code GET /images/{id}/content}, {@code GET
 * /media/{id}/content}) with a bearer token that its operation redeems first, answering {@code 401} for a wrong one
 * before it looks at the image. The user authenticated here is kept for {@link AuthFilter}, which checks the matched
 * operation's permission.
 */
@Component(service = ContainerRequestFilter.class, property = {RestConstants.EXTENSION, RestConstants.APP_SELECT,
        "osgi.jaxrs.name=skiff.auth.first"})
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AuthenticateFirstFilter implements ContainerRequestFilter {
    private static final Pattern TRANSFER = Pattern.compile("(images|media)/([^/]+)/content");

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuthService auth;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ImageService images;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = trim(request.getUriInfo().getPath());
        String method = request.getMethod();
        if (isPublic(method, path)) {
            return;
        }
        AuthService service = auth;
        if (service == null) {
            request.abortWith(AuthFilter.unavailable());
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        AuthenticatedUser user;
        try {
            user = AuthFilter.authenticate(service, header);
        } catch (SkiffException e) {
            if (!transferMayPass(method, path, AuthFilter.bearerToken(header))) {
                request.abortWith(AuthFilter.unauthenticated(e));
            }
            return;
        }
        request.setProperty(RestConstants.USER_PROPERTY, user);
    }

    /** @return whether the request needs no credentials at all */
    static boolean isPublic(String method, String path) {
        return switch (path) {
            case "health", "openapi.json" -> HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
            case "sessions" -> HttpMethod.POST.equals(method);
            default -> false;
        };
    }

    /**
     * @return whether a request whose credentials are no user's goes on as a transfer: a download with a bearer token
     *     (its operation redeems it first), a capture upload with the token the Core expects for the image
     */
    private boolean transferMayPass(String method, String path, String token) {
        Matcher transfer = TRANSFER.matcher(path);
        if (token == null || !transfer.matches()) {
            return false;
        }
        if (HttpMethod.GET.equals(method)) {
            return true;
        }
        ImageService catalog = images;
        return HttpMethod.PUT.equals(method) && transfer.group(1).equals("images") && catalog != null
                && catalog.expectsCapture(transfer.group(2), token);
    }

    private static String trim(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
