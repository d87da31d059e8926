package io.skiff.auth.internal;

import io.skiff.api.model.Group;
import io.skiff.api.model.Quota;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.Role;
import io.skiff.api.model.User;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.OperationLogRule;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.SkiffException;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Users, groups and roles kept in the Core's state store (journaled, like everything else), with the
 * validation rules: names, password policy, known roles and permissions, no removal of the last admin, no
 * self-deletion, no group loops. Every change is validated completely before one commit, so a refused
 * change changes nothing. Changes are serialised by this object's lock.
 */
public class Directory implements IdentityService {
    static final String GROUP_TYPE = "auth.group";
    static final String ROLE_TYPE = "auth.role";
    public static final String ADMIN_ROLE = "admin";
    public static final String ADMIN_GROUP = "admin";
    public static final String DEFAULT_GROUP = "users";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*|\\*");

    /** The built-in roles. */
    static final Map<String, Role> BUILT_IN = Map.of(
            ADMIN_ROLE, new Role(ADMIN_ROLE, Set.of(Permissions.ALL), true, "everything"),
            "operator", new Role("operator", Permissions.OPERATOR, true, "pools, cells and every user's instances"),
            "user", new Role("user", Permissions.USER, true, "own instances and images, within quotas"));

    private final StateStore store;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;
    /** Called with a user name whose sessions must end (disabled, deleted, password or roles changed). */
    private final Consumer<String> revoke;

    public Directory(StateStore store, PasswordHasher hasher, PasswordPolicy policy, Clock clock,
                     Consumer<String> revoke) {
        this.store = store;
        this.hasher = hasher;
        this.policy = policy;
        this.clock = clock;
        this.revoke = revoke;
    }

    // ---- bootstrap -----------------------------------------------------------------------------------------

    /** Creates the groups {@code admin} and {@code users} when missing. */
    public synchronized void ensureDefaultGroups() {
        List<StateChange> changes = new ArrayList<>();
        if (findGroup(ADMIN_GROUP).isEmpty()) {
            changes.add(StateChange.put(GROUP_TYPE, ADMIN_GROUP, new Group(ADMIN_GROUP, "administrators", false)));
        }
        if (findGroup(DEFAULT_GROUP).isEmpty()) {
            changes.add(StateChange.put(GROUP_TYPE, DEFAULT_GROUP, new Group(DEFAULT_GROUP, "everyone else", false)));
        }
        if (!changes.isEmpty()) {
            store.commit(changes);
        }
    }

    /** @return whether the user exists */
    public boolean exists(String name) {
        return findUser(name).isPresent();
    }

    /** Creates the first admin with an already-checked password, bypassing the policy. */
    public synchronized void createAdmin(String name, String password, boolean generated) {
        ensureDefaultGroups();
        User user = new User(name, "Administrator", ADMIN_GROUP, List.of(ADMIN_ROLE), true, clock.instant(),
                Quota.UNLIMITED, generated);
        store.put(StoredUser.TYPE, name, new StoredUser(user, hasher.hash(password)));
    }

    // ---- authentication -----------------------------------------------------------------------------------

    /**
     * @return the signed-in view of the user when the password is right and the user is enabled, else
     * empty
     */
    public Optional<AuthenticatedUser> authenticate(String name, String password) {
        Optional<StoredUser> stored = name == null ? Optional.empty() : findUser(name);
        if (stored.isEmpty() || !stored.get().user().enabled()
                || !hasher.verify(password, stored.get().passwordHash())) {
            return Optional.empty();
        }
        return Optional.ofNullable(resolve(name));
    }

    /**
     * @return the signed-in view of the user when {@code key} is one of its SSH keys and the user is enabled, else
     * empty
     */
    public Optional<AuthenticatedUser> authenticate(String name, java.security.PublicKey key) {
        Optional<StoredUser> stored = name == null || key == null ? Optional.empty() : findUser(name);
        if (stored.isEmpty() || !stored.get().user().enabled()
                || stored.get().sshKeys().stream().noneMatch(line -> SshKeys.matches(line, key))) {
            return Optional.empty();
        }
        return Optional.ofNullable(resolve(name));
    }

    @Override
    public List<String> sshKeys(String name) {
        return findUser(name).orElseThrow(() -> SkiffException.notFound("user", name)).sshKeys();
    }

    @Override
    public synchronized List<String> setSshKeys(String name, List<String> keys, String actor) {
        StoredUser stored = findUser(name).orElseThrow(() -> SkiffException.notFound("user", name));
        List<String> checked = SshKeys.check(keys == null ? List.of() : keys, MAX_SSH_KEYS);
        store.put(StoredUser.TYPE, name, stored.withSshKeys(checked));
        return checked;
    }

    @Override
    public AuthenticatedUser resolve(String name) {
        Optional<StoredUser> stored = name == null ? Optional.empty() : findUser(name);
        if (stored.isEmpty() || !stored.get().user().enabled()) {
            return null;
        }
        User u = stored.get().user();
        return new AuthenticatedUser(u.name(), Set.copyOf(u.roles()), u.group(), permissionsOf(u.roles()));
    }

    Set<String> permissionsOf(List<String> roles) {
        Set<String> out = new TreeSet<>();
        for (String r : roles) {
            Role role = findRole(r);
            if (role != null) {
                out.addAll(role.permissions());
            }
        }
        return Set.copyOf(out);
    }

    /** @return whether the user still has the generated initial password */
    public boolean passwordChangeRequired(String name) {
        return findUser(name).map(s -> s.user().passwordChangeRequired()).orElse(false);
    }

    // ---- users ---------------------------------------------------------------------------------------------

    @Override
    public List<User> users() {
        return store.list(StoredUser.TYPE, StoredUser.class).stream().map(StoredUser::user).toList();
    }

    @Override
    public User user(String name) {
        return findUser(name).map(StoredUser::user).orElseThrow(() -> SkiffException.notFound("user", name));
    }

    private Optional<StoredUser> findUser(String name) {
        return store.get(StoredUser.TYPE, name, StoredUser.class);
    }

    @Override
    public synchronized User createUser(String name, String displayName, String group, List<String> roles,
                                        String password, Quota quota) {
        checkName("name", name);
        if (findUser(name).isPresent()) {
            throw SkiffException.conflict("name", "user '" + name + "' already exists");
        }
        String g = group == null || group.isEmpty() ? DEFAULT_GROUP : group;
        group(g, "group");
        List<String> r = roles == null || roles.isEmpty() ? List.of("user") : checkRoles(roles);
        policy.check(name, password);
        User user = new User(name, displayName == null ? name : displayName, g, r, true, clock.instant(),
                quota(quota), false);
        store.put(StoredUser.TYPE, name, new StoredUser(user, hasher.hash(password)));
        return user;
    }

    @Override
    public synchronized User updateUser(String name, String displayName, String group, List<String> roles,
                                        Boolean enabled, Quota quota, String actor) {
        StoredUser stored = findUser(name).orElseThrow(() -> SkiffException.notFound("user", name));
        User u = stored.user();
        String g = group == null ? u.group() : group;
        if (group != null) {
            group(g, "group");
        }
        List<String> r = roles == null ? u.roles() : checkRoles(roles);
        boolean on = enabled == null ? u.enabled() : enabled;
        if (name.equals(actor) && !on) {
            throw SkiffException.conflict("enabled", "you cannot disable your own account");
        }
        boolean wasAdmin = u.enabled() && u.roles().contains(ADMIN_ROLE);
        boolean isAdmin = on && r.contains(ADMIN_ROLE);
        if (wasAdmin && !isAdmin && enabledAdmins() <= 1) {
            throw SkiffException.conflict(enabled != null && !on ? "enabled" : "roles",
                    "'" + name + "' is the last enabled admin; make another user admin first");
        }
        User changed = new User(name, displayName == null ? u.displayName() : displayName, g, r, on,
                u.createdAt(), quota == null ? u.quota() : quota(quota), u.passwordChangeRequired());
        store.put(StoredUser.TYPE, name, stored.with(changed, stored.passwordHash()));
        if (!on || !r.equals(u.roles()) || !g.equals(u.group())) {
            revoke.accept(name);
        }
        return changed;
    }

    @Override
    public synchronized void deleteUser(String name, String actor) {
        User u = user(name);
        if (name.equals(actor)) {
            throw SkiffException.conflict("name", "you cannot delete your own account");
        }
        if (u.enabled() && u.roles().contains(ADMIN_ROLE) && enabledAdmins() <= 1) {
            throw SkiffException.conflict("name", "'" + name + "' is the last enabled admin");
        }
        store.delete(StoredUser.TYPE, name);
        revoke.accept(name);
    }

    @Override
    public synchronized void changePassword(String name, String currentPassword, String newPassword, String actor) {
        StoredUser stored = findUser(name).orElseThrow(() -> SkiffException.notFound("user", name));
        boolean self = name.equals(actor);
        if (self || currentPassword != null) {
            if (currentPassword == null) {
                throw SkiffException.invalid("currentPassword", "currentPassword is required");
            }
            if (!hasher.verify(currentPassword, stored.passwordHash())) {
                throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden", "the current password is wrong",
                        "currentPassword");
            }
        }
        policy.check(name, newPassword, "newPassword");
        if (currentPassword != null && currentPassword.equals(newPassword)) {
            throw SkiffException.invalid("newPassword", "the new password must differ from the current one");
        }
        User u = stored.user();
        User changed = new User(u.name(), u.displayName(), u.group(), u.roles(), u.enabled(), u.createdAt(),
                u.quota(), false);
        store.put(StoredUser.TYPE, name, stored.with(changed, hasher.hash(newPassword)));
        revoke.accept(name);
    }

    private long enabledAdmins() {
        return users().stream().filter(u -> u.enabled() && u.roles().contains(ADMIN_ROLE)).count();
    }

    private List<String> checkRoles(List<String> roles) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(roles));
        for (String r : out) {
            if (r == null || findRole(r) == null) {
                throw SkiffException.invalid("roles", "unknown role '" + r + "'");
            }
        }
        return List.copyOf(out);
    }

    private static Quota quota(Quota q) {
        if (q == null) {
            return Quota.UNLIMITED;
        }
        check("quota.instances", q.instances());
        check("quota.cores", q.cores());
        check("quota.memoryMiB", q.memoryMiB());
        check("quota.diskGiB", q.diskGiB());
        return q;
    }

    private static void check(String field, Number n) {
        if (n != null && n.longValue() < 0) {
            throw SkiffException.invalid(field, field + " must not be negative");
        }
    }

    private static void checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SkiffException.invalid(field, field + " '" + name + "' may contain only letters, digits, '.', '-'"
                    + " and '_', must start with a letter or digit and have at most 64 characters");
        }
    }

    // ---- groups --------------------------------------------------------------------------------------------

    @Override
    public List<Group> groups() {
        return store.list(GROUP_TYPE, Group.class);
    }

    @Override
    public Group group(String name) {
        return group(name, null);
    }

    private Group group(String name, String field) {
        return findGroup(name).orElseThrow(() -> SkiffException.notFound(field, "group", name));
    }

    private Optional<Group> findGroup(String name) {
        return name == null ? Optional.empty() : store.get(GROUP_TYPE, name, Group.class);
    }

    @Override
    public synchronized Group createGroup(Group g) {
        if (g == null) {
            throw SkiffException.invalid("body", "a group is required");
        }
        checkName("name", g.name());
        if (findGroup(g.name()).isPresent()) {
            throw SkiffException.conflict("name", "group '" + g.name() + "' already exists");
        }
        Group checked = checkGroup(g);
        store.put(GROUP_TYPE, g.name(), checked);
        return checked;
    }

    @Override
    public synchronized Group updateGroup(Group g) {
        group(g.name());
        Group checked = checkGroup(g);
        store.put(GROUP_TYPE, g.name(), checked);
        return checked;
    }

    private Group checkGroup(Group g) {
        String parent = g.parent() == null || g.parent().isEmpty() ? null : g.parent();
        if (parent != null) {
            group(parent, "parent");
            Set<String> seen = new HashSet<>();
            String p = parent;
            while (p != null) {
                if (p.equals(g.name()) || !seen.add(p)) {
                    throw SkiffException.invalid("parent", "group '" + g.name() + "' cannot be inside '" + parent
                            + "': that makes a loop");
                }
                p = findGroup(p).map(Group::parent).orElse(null);
            }
        }
        return new Group(g.name(), g.description(), g.shareResources(), quota(g.quota()), parent);
    }

    @Override
    public synchronized void deleteGroup(String name) {
        group(name);
        List<String> members = users().stream().filter(u -> name.equals(u.group())).map(User::name).toList();
        if (!members.isEmpty()) {
            throw SkiffException.conflict("name", "group '" + name + "' still has users: " + String.join(", ", members));
        }
        List<String> children = groups().stream().filter(g -> name.equals(g.parent())).map(Group::name).toList();
        if (!children.isEmpty()) {
            throw SkiffException.conflict("name", "group '" + name + "' still has groups inside: "
                    + String.join(", ", children));
        }
        store.delete(GROUP_TYPE, name);
    }

    // ---- roles ---------------------------------------------------------------------------------------------

    @Override
    public List<Role> roles() {
        List<Role> out = new ArrayList<>(new java.util.TreeMap<>(BUILT_IN).values());
        out.addAll(store.list(ROLE_TYPE, Role.class));
        return out;
    }

    @Override
    public Role role(String name) {
        Role r = findRole(name);
        if (r == null) {
            throw SkiffException.notFound("role", name);
        }
        return r;
    }

    private Role findRole(String name) {
        if (name == null) {
            return null;
        }
        Role builtIn = BUILT_IN.get(name);
        return builtIn != null ? builtIn : store.get(ROLE_TYPE, name, Role.class).orElse(null);
    }

    @Override
    public synchronized Role createRole(Role role) {
        if (role == null) {
            throw SkiffException.invalid("body", "a role is required");
        }
        checkName("name", role.name());
        if (findRole(role.name()) != null) {
            throw SkiffException.conflict("name", "role '" + role.name() + "' already exists");
        }
        Role checked = checkRole(role);
        store.put(ROLE_TYPE, role.name(), checked);
        return checked;
    }

    @Override
    public synchronized Role updateRole(Role role) {
        Role existing = role(role.name());
        if (existing.builtIn()) {
            throw SkiffException.conflict("name", "role '" + role.name() + "' is built in and cannot be changed");
        }
        Role checked = checkRole(role);
        store.put(ROLE_TYPE, role.name(), checked);
        users().stream().filter(u -> u.roles().contains(role.name())).forEach(u -> revoke.accept(u.name()));
        return checked;
    }

    private static Role checkRole(Role role) {
        if (role.permissions() == null || role.permissions().isEmpty()) {
            throw SkiffException.invalid("permissions", "a role needs at least one permission");
        }
        for (String p : role.permissions()) {
            if (p == null || !PERMISSION.matcher(p).matches()
                    || !(p.equals(Permissions.ALL) || Permissions.CATALOG.containsKey(p))) {
                throw SkiffException.invalid("permissions", "unknown permission '" + p + "'");
            }
        }
        return new Role(role.name(), Set.copyOf(new TreeSet<>(role.permissions())), false, role.description());
    }

    @Override
    public synchronized void deleteRole(String name) {
        Role existing = role(name);
        if (existing.builtIn()) {
            throw SkiffException.conflict("name", "role '" + name + "' is built in and cannot be deleted");
        }
        List<String> holders = users().stream().filter(u -> u.roles().contains(name)).map(User::name).toList();
        if (!holders.isEmpty()) {
            throw SkiffException.conflict("name", "role '" + name + "' is still held by: " + String.join(", ", holders));
        }
        store.delete(ROLE_TYPE, name);
    }

    // ---- visibility and quotas -----------------------------------------------------------------------------

    @Override
    public String groupOf(String user) {
        return findUser(user).map(s -> s.user().group()).orElse(user);
    }

    @Override
    public boolean canSee(AuthenticatedUser caller, String owner, String group) {
        if (caller == null) {
            return false;
        }
        if (seesAll(caller) || caller.name().equals(owner)) {
            return true;
        }
        if (group == null || caller.group() == null || !group.equals(caller.group())) {
            return false;
        }
        return findGroup(group).map(Group::shareResources).orElse(false);
    }

    @Override
    public void checkQuota(String user, String group, ResourceUsage userUsage, ResourceUsage groupUsage,
                           ResourceUsage requested) {
        Quota uq = findUser(user).map(s -> s.user().quota()).orElse(null);
        if (uq != null) {
            checkQuota("user '" + user + "'", uq, userUsage, requested);
        }
        Quota gq = findGroup(group).map(Group::quota).orElse(null);
        if (gq != null) {
            checkQuota("group '" + group + "'", gq, groupUsage, requested);
        }
    }

    static void checkQuota(String who, Quota q, ResourceUsage used, ResourceUsage requested) {
        long mib = 1024L * 1024;
        long gib = mib * 1024;
        limit(who, "instances", "instances", q.instances() == null ? null : q.instances().longValue(),
                used.instances(), requested.instances(), "");
        limit(who, "cores", "cores", q.cores() == null ? null : q.cores().longValue(), used.cores(),
                requested.cores(), "");
        limit(who, "memoryMiB", "memoryBytes", q.memoryMiB(), ceil(used.memoryBytes(), mib),
                ceil(requested.memoryBytes(), mib), " MiB");
        limit(who, "diskGiB", "disks", q.diskGiB(), ceil(used.diskBytes(), gib), ceil(requested.diskBytes(), gib),
                " GiB");
    }

    private static long ceil(long value, long unit) {
        return (value + unit - 1) / unit;
    }

    private static void limit(String who, String quota, String field, Long max, long used, long requested,
                              String unit) {
        if (max != null && requested > 0 && used + requested > max) {
            throw new SkiffException(SkiffException.Kind.CONFLICT, OperationLogRule.QUOTA_EXCEEDED,
                    "quota " + quota + " of " + who + " exceeded by " + (used + requested - max) + unit + ": limit "
                            + max + unit + ", in use " + used + unit + ", requested " + requested + unit, field);
        }
    }
}
