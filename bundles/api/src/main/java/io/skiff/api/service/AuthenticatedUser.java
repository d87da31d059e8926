package io.skiff.api.service;

import java.util.Set;

/**
 * A caller whose credentials were checked.
 *
 * @param name the user name
 * @param roles the roles it holds, e.g. {@code admin}
 */
public record AuthenticatedUser(String name, Set<String> roles) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
