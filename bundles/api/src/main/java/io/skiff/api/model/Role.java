package io.skiff.api.model;

import java.util.Set;

/**
 * A named set of permissions.
 *
 * @param name unique name, e.g. {@code admin}
 * @param permissions permission names, e.g. {@code pool.write}
 * @param builtIn whether Skiff defines it (built-in roles cannot be deleted)
 */
public record Role(String name, Set<String> permissions, boolean builtIn) {
}
