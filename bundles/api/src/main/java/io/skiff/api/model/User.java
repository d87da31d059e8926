package io.skiff.api.model;

import java.time.Instant;
import java.util.List;

/**
 * A person or program allowed to use Skiff. Credentials are never part of this record.
 *
 * @param name login name
 * @param displayName name shown in the portal
 * @param group the group it belongs to
 * @param roles role names
 * @param enabled whether it may sign in
 * @param createdAt creation time
 */
public record User(String name, String displayName, String group, List<String> roles, boolean enabled,
                   Instant createdAt) {
}
