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
 * @param quota its own limits ({@link Quota#UNLIMITED} when none)
 * @param passwordChangeRequired whether it still has a generated password it must change
 */
public record User(String name, String displayName, String group, List<String> roles, boolean enabled,
                   Instant createdAt, Quota quota, boolean passwordChangeRequired) {

    public User(String name, String displayName, String group, List<String> roles, boolean enabled,
                Instant createdAt) {
        this(name, displayName, group, roles, enabled, createdAt, Quota.UNLIMITED, false);
    }
}
