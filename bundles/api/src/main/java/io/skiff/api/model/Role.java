package io.skiff.api.model;

import java.util.Set;

/**
 * A named set of permissions.
 *
 * @param name unique name, e.g. {@code admin}
 * @param permissions permission names, e.g. {@code pool.write}; {@code *} grants every permission
 * @param builtIn whether Skiff defines it (built-in roles cannot be changed or deleted)
 * @param description free text
 */
public record Role(String name, Set<String> permissions, boolean builtIn, String description) {

    public Role(String name, Set<String> permissions, boolean builtIn) {
        this(name, permissions, builtIn, null);
    }
}
