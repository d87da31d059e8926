package io.skiff.rest.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.SkiffException;

import javax.ws.rs.core.SecurityContext;

/**
 * The signed-in caller of a request, as the Core's services take it: they answer only about what it may see (the
 * Core applies {@link IdentityService#canSee} once, for REST, shell and portal alike).
 */
final class Callers {
    private Callers() {
    }

    /** @return the caller with its current roles, group and permissions */
    static AuthenticatedUser current(SecurityContext security, IdentityService identity) {
        String name = RestConstants.userName(security);
        AuthenticatedUser user = identity.resolve(name);
        if (user == null) {
            throw new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated",
                    "user '" + name + "' is unknown or disabled", null);
        }
        return user;
    }
}
