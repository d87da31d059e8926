package io.skiff.rest.internal;

import io.skiff.api.service.AuthenticatedUser;

/**
 * Which roles grant which permissions. Until users, groups and custom roles land, Karaf's roles decide:
 * {@code admin} may do everything, {@code manager} and {@code viewer} may read.
 */
final class Permissions {
    private Permissions() {
    }

    static boolean allows(AuthenticatedUser user, String permission) {
        if (user.hasRole("admin") || permission.startsWith("session.")) {
            return true;
        }
        return permission.endsWith(".read") && (user.hasRole("manager") || user.hasRole("viewer"));
    }
}
