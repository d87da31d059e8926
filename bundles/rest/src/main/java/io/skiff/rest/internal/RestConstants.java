package io.skiff.rest.internal;

/** Whiteboard property values shared by every component of the Skiff JAX-RS application. */
final class RestConstants {
    /** Name of the Skiff JAX-RS application. */
    static final String APP_NAME = "skiff";
    /** Filter that attaches a resource or extension to the Skiff application. */
    static final String APP_SELECT = "osgi.jaxrs.application.select=(osgi.jaxrs.name=" + APP_NAME + ")";
    static final String RESOURCE = "osgi.jaxrs.resource=true";
    static final String EXTENSION = "osgi.jaxrs.extension=true";
    /** Request property carrying the authenticated user. */
    static final String USER_PROPERTY = "skiff.user";

    /** @return the signed-in user's name from the security context the auth filter set */
    static String userName(javax.ws.rs.core.SecurityContext security) {
        java.security.Principal p = security == null ? null : security.getUserPrincipal();
        return p == null ? "unknown" : p.getName();
    }

    private RestConstants() {
    }
}
