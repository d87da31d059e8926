package io.skiff.api.service;

import io.skiff.api.model.Group;
import io.skiff.api.model.Quota;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.Role;
import io.skiff.api.model.User;

import java.util.List;

/**
 * Users, groups and roles, resource visibility and quotas. Every change is checked (bad input: a
 * {@link SkiffException} naming the field, nothing changes) and persisted before it returns. {@code actor}
 * is the signed-in user making the change.
 */
public interface IdentityService {

    List<User> users();

    User user(String name);

    /** Creates a user; {@code group} must exist, {@code roles} must exist, the password must pass the policy. */
    User createUser(String name, String displayName, String group, List<String> roles, String password,
                    Quota quota);

    /**
     * Changes a user; {@code null} keeps a value. Disabling a user or removing its roles takes effect at once
     * (its tokens are revoked).
     */
    User updateUser(String name, String displayName, String group, List<String> roles, Boolean enabled,
                    Quota quota, String actor);

    /** Deletes a user; refused for oneself and for the last enabled admin. */
    void deleteUser(String name, String actor);

    /**
     * Sets a password. {@code currentPassword} is required when users change their own password; an actor
     * holding {@code user.write} may omit it for others. Revokes the user's tokens.
     */
    void changePassword(String name, String currentPassword, String newPassword, String actor);

    /**
     * @return the user's SSH public keys for the shell (OpenSSH {@code authorized_keys} lines), in the order set
     */
    default List<String> sshKeys(String name) {
        throw SkiffException.unavailable("this identity service keeps no SSH keys");
    }

    /**
     * Replaces the user's SSH public keys: each an OpenSSH {@code authorized_keys} line ({@code type base64
     * [comment]}, types ssh-rsa of at least 2048 bits and ecdsa-sha2-nistp256/384/521 — not ssh-ed25519, which the
     * shell's SSH server cannot verify), at most
     * {@value #MAX_SSH_KEYS}; an empty list removes them. A bad key is refused naming it ({@code sshKeys.<i>}) and
     * nothing changes. Users set their own; an actor holding {@code user.write} may set anyone's.
     */
    default List<String> setSshKeys(String name, List<String> keys, String actor) {
        throw SkiffException.unavailable("this identity service keeps no SSH keys");
    }

    /** How many SSH keys a user may have. */
    int MAX_SSH_KEYS = 20;

    List<Group> groups();

    Group group(String name);

    Group createGroup(Group group);

    Group updateGroup(Group group);

    /** Deletes a group; refused while users belong to it or it has sub-groups. */
    void deleteGroup(String name);

    /** @return built-in and custom roles */
    List<Role> roles();

    Role role(String name);

    Role createRole(Role role);

    Role updateRole(Role role);

    void deleteRole(String name);

    /**
     * @return the signed-in view of a user: roles, group and permissions, or {@code null} when unknown or
     * disabled
     */
    AuthenticatedUser resolve(String name);

    /** @return the group of a user (its own name for a caller outside the directory) */
    String groupOf(String user);

    /**
     * Visibility: a caller sees a resource it owns, one of its group when that group shares resources, and
     * every resource with {@link Permissions#RESOURCE_ALL}.
     */
    boolean canSee(AuthenticatedUser caller, String owner, String group);

    /**
     * @return whether the caller sees every resource ({@link #canSee} is true whatever the owner and group), so that a
     *     long list need not ask about each one; by default, whether it holds {@link Permissions#RESOURCE_ALL}
     * @since 2.5 of this package
     */
    default boolean seesAll(AuthenticatedUser caller) {
        return caller != null && caller.hasPermission(Permissions.RESOURCE_ALL);
    }

    /**
     * Visibility as REST, shell and portal answer it: a resource the caller may not see ({@link #canSee}) is
     * answered exactly like one that does not exist, so no listing or error leaks another tenant's names.
     *
     * @param what the kind of resource, e.g. {@code instance}, named in the error
     * @param id the id or name the caller asked for
     * @throws SkiffException not found when the caller may not see the resource
     */
    default void requireVisible(AuthenticatedUser caller, String owner, String group, String what, String id) {
        if (!canSee(caller, owner, group)) {
            throw SkiffException.notFound(what, id);
        }
    }

    /**
     * Refuses with a {@code quota-exceeded} {@link SkiffException} (naming the quota and by how much) when
     * adding {@code requested} would exceed the user's or its group's quota.
     */
    void checkQuota(String user, String group, ResourceUsage userUsage, ResourceUsage groupUsage,
                    ResourceUsage requested);
}
