package io.skiff.rest.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.SkiffException;

import javax.ws.rs.core.SecurityContext;

/**
 * The signed-in caller of a request and the visibility rule: a resource the caller may not see is answered
 * exactly like one that does not exist (404), so no listing or error leaks another tenant's names.
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

    /** @throws SkiffException not found when the caller may not see the resource */
    static void requireVisible(IdentityService identity, AuthenticatedUser caller, String owner, String group,
                               String what, String id) {
        if (!identity.canSee(caller, owner, group)) {
            throw SkiffException.notFound(what, id);
        }
    }
}
