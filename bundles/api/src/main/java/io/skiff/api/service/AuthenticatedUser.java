package io.skiff.api.service;

import java.util.Set;

/**
 * A caller whose credentials were checked.
 *
 * @param name the user name
 * @param roles the roles it holds, e.g. {@code admin}
 * @param group its group ({@code null} for a caller outside Skiff's directory)
 * @param permissions the permissions its roles grant ({@code *} for all)
 */
public record AuthenticatedUser(String name, Set<String> roles, String group, Set<String> permissions) {

    /** A caller known only by roles; {@code admin} holds every permission. */
    public AuthenticatedUser(String name, Set<String> roles) {
        this(name, roles, null, roles.contains("admin") ? Set.of(Permissions.ALL) : Set.of());
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(Permissions.ALL) || permissions.contains(permission);
    }
}
