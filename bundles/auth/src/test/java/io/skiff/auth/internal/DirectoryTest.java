package io.skiff.auth.internal;

import io.skiff.api.model.Group;
import io.skiff.api.model.Quota;
import io.skiff.api.model.ResourceUsage;
import io.skiff.api.model.Role;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryTest {
    private MemoryStateStore store;
    private Directory directory;
    private final List<String> revoked = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new MemoryStateStore();
        directory = new Directory(store, new PasswordHasher(1000), new PasswordPolicy(8, false), Clock.systemUTC(),
                revoked::add);
        directory.createAdmin("admin", "admin-secret", true);
    }

    private static void refused(SkiffException.Kind kind, String field, Runnable change) {
        SkiffException e = assertThrows(SkiffException.class, change::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    private int stateSize() {
        return store.data.values().stream().mapToInt(java.util.Map::size).sum();
    }

    @Test
    void theFirstAdminHoldsEveryPermissionAndMustChangeAGeneratedPassword() {
        AuthenticatedUser admin = directory.authenticate("admin", "admin-secret").orElseThrow();
        assertEquals(Set.of(Permissions.ALL), admin.permissions());
        assertEquals("admin", admin.group());
        assertTrue(directory.passwordChangeRequired("admin"));
        directory.changePassword("admin", "admin-secret", "admin-secret-2", "admin");
        assertFalse(directory.passwordChangeRequired("admin"));
        assertTrue(directory.authenticate("admin", "admin-secret").isEmpty());
        assertEquals(List.of("admin"), revoked);
    }

    @Test
    void usersGetTheDefaultGroupAndRoleAndNeverExposeTheirHash() {
        var u = directory.createUser("alice", null, null, null, "alice-pass", null);
        assertEquals("users", u.group());
        assertEquals(List.of("user"), u.roles());
        assertEquals(Permissions.USER, directory.resolve("alice").permissions());
        assertFalse(u.toString().contains("pbkdf2"));
        assertTrue(directory.authenticate("alice", "alice-pass").isPresent());
        assertTrue(directory.authenticate("alice", "wrong-pass").isEmpty());
        assertTrue(directory.authenticate("nobody", "alice-pass").isEmpty());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        directory.createUser("alice", null, null, null, "alice-pass", null);
        int before = stateSize();
        int commits = store.commits;
        refused(SkiffException.Kind.INVALID, "password", () -> directory.createUser("bob", null, null, null, "short", null));
        refused(SkiffException.Kind.INVALID, "password", () -> directory.createUser("bob", null, null, null, "", null));
        refused(SkiffException.Kind.INVALID, "password", () -> directory.createUser("bobbobbob", null, null, null,
                "BOBBOBBOB", null));
        refused(SkiffException.Kind.INVALID, "name", () -> directory.createUser("bad name", null, null, null, "long-enough", null));
        refused(SkiffException.Kind.INVALID, "roles", () -> directory.createUser("bob", null, null, List.of("king"), "long-enough", null));
        refused(SkiffException.Kind.NOT_FOUND, "group", () -> directory.createUser("bob", null, "nope", null, "long-enough", null));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.createUser("alice", null, null, null, "long-enough", null));
        refused(SkiffException.Kind.INVALID, "quota.cores", () -> directory.createUser("bob", null, null, null,
                "long-enough", new Quota(null, -1, null, null)));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteUser("admin", "admin"));
        refused(SkiffException.Kind.CONFLICT, "enabled", () -> directory.updateUser("admin", null, null, null, false, null, "alice"));
        refused(SkiffException.Kind.CONFLICT, "roles", () -> directory.updateUser("admin", null, null, List.of("user"), null, null, "alice"));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteUser("admin", "alice"));
        refused(SkiffException.Kind.INVALID, "permissions", () -> directory.createRole(new Role("odd", Set.of("pool.fly"), false)));
        refused(SkiffException.Kind.INVALID, "permissions", () -> directory.createRole(new Role("odd", Set.of(), false)));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteRole("admin"));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.updateRole(new Role("user", Set.of("pool.read"), false)));
        refused(SkiffException.Kind.FORBIDDEN, "currentPassword", () -> directory.changePassword("alice", "wrong-pass", "new-password", "alice"));
        refused(SkiffException.Kind.INVALID, "currentPassword", () -> directory.changePassword("alice", null, "new-password", "alice"));
        refused(SkiffException.Kind.INVALID, "newPassword", () -> directory.changePassword("alice", "alice-pass", "short", "alice"));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteGroup("users"));
        assertEquals(before, stateSize());
        assertEquals(commits, store.commits, "a refused change commits nothing");
        assertTrue(directory.authenticate("alice", "alice-pass").isPresent());
    }

    @Test
    void groupLoopsAreRefused() {
        directory.createGroup(new Group("a", null, false, null, null));
        directory.createGroup(new Group("b", null, false, null, "a"));
        directory.createGroup(new Group("c", null, false, null, "b"));
        refused(SkiffException.Kind.INVALID, "parent", () -> directory.updateGroup(new Group("a", null, false, null, "c")));
        refused(SkiffException.Kind.INVALID, "parent", () -> directory.updateGroup(new Group("a", null, false, null, "a")));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteGroup("a"));
        assertNull(directory.group("a").parent());
    }

    @Test
    void disablingAUserOrChangingItsRolesEndsItsSessions() {
        directory.createUser("alice", null, null, null, "alice-pass", null);
        directory.createUser("root2", null, "admin", List.of("admin"), "root2-pass", null);
        revoked.clear();
        directory.updateUser("alice", null, null, null, false, null, "admin");
        assertNull(directory.resolve("alice"));
        assertTrue(directory.authenticate("alice", "alice-pass").isEmpty());
        directory.updateUser("root2", null, null, List.of("operator"), null, null, "admin");
        assertEquals(List.of("alice", "root2"), revoked);
        assertTrue(directory.resolve("root2").hasPermission(Permissions.RESOURCE_ALL));
        assertFalse(directory.resolve("root2").hasPermission("user.write"));
    }

    @Test
    void customRolesGrantTheirPermissionsOnly() {
        directory.createRole(new Role("auditor", Set.of("oplog.read", "user.read"), false, "reads the log"));
        directory.createUser("audrey", null, null, List.of("auditor"), "audrey-pass", null);
        AuthenticatedUser a = directory.resolve("audrey");
        assertTrue(a.hasPermission("oplog.read"));
        assertFalse(a.hasPermission("instance.read"));
        refused(SkiffException.Kind.CONFLICT, "name", () -> directory.deleteRole("auditor"));
        assertEquals(4, directory.roles().size());
    }

    @Test
    void visibilityFollowsOwnerSharedGroupAndResourceAll() {
        directory.createGroup(new Group("red", null, false));
        directory.createGroup(new Group("team", null, true));
        directory.createUser("alice", null, "red", null, "alice-pass", null);
        directory.createUser("ann", null, "red", null, "ann-pass-1", null);
        directory.createUser("carol", null, "team", null, "carol-pass", null);
        directory.createUser("dave", null, "team", null, "dave-pass-1", null);
        directory.createUser("otto", null, null, List.of("operator"), "otto-pass", null);
        assertTrue(directory.canSee(directory.resolve("alice"), "alice", "red"));
        assertFalse(directory.canSee(directory.resolve("ann"), "alice", "red"), "red does not share");
        assertFalse(directory.canSee(directory.resolve("carol"), "alice", "red"));
        assertTrue(directory.canSee(directory.resolve("dave"), "carol", "team"), "team shares");
        assertTrue(directory.canSee(directory.resolve("otto"), "alice", "red"), "resource.all");
        assertTrue(directory.canSee(directory.resolve("admin"), "carol", "team"));
        assertFalse(directory.canSee(null, "alice", "red"));
        directory.updateGroup(new Group("team", null, false));
        assertFalse(directory.canSee(directory.resolve("dave"), "carol", "team"));
        // what REST and shell answer: an invisible resource is a missing one
        SkiffException e = assertThrows(SkiffException.class,
                () -> directory.requireVisible(directory.resolve("dave"), "carol", "team", "instance", "web-1"));
        assertEquals(SkiffException.notFound("instance", "web-1").getMessage(), e.getMessage());
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind());
        directory.requireVisible(directory.resolve("carol"), "carol", "team", "instance", "web-1");
    }

    @Test
    void quotasRefuseWithWhichQuotaAndByHowMuch() {
        directory.createGroup(new Group("red", null, false, new Quota(null, null, 1024L, null), null));
        directory.createUser("alice", null, "red", null, "alice-pass", new Quota(2, 4, null, 10L));
        long mib = 1L << 20;
        ResourceUsage one = new ResourceUsage(1, 2, 512 * mib, 4L << 30);
        directory.checkQuota("alice", "red", ResourceUsage.NONE, ResourceUsage.NONE, one);
        SkiffException cores = assertThrows(SkiffException.class, () -> directory.checkQuota("alice", "red",
                new ResourceUsage(1, 3, 0, 0), new ResourceUsage(1, 3, 0, 0), one));
        assertEquals("quota-exceeded", cores.code());
        assertEquals("cores", cores.field());
        assertEquals("quota cores of user 'alice' exceeded by 1: limit 4, in use 3, requested 2", cores.getMessage());
        SkiffException memory = assertThrows(SkiffException.class, () -> directory.checkQuota("alice", "red",
                ResourceUsage.NONE, new ResourceUsage(3, 3, 768 * mib, 0), one));
        assertEquals("memoryBytes", memory.field());
        assertTrue(memory.getMessage().startsWith("quota memoryMiB of group 'red' exceeded by 256 MiB"), memory.getMessage());
        SkiffException disk = assertThrows(SkiffException.class, () -> directory.checkQuota("alice", "red",
                new ResourceUsage(0, 0, 0, 7L << 30), ResourceUsage.NONE, one));
        assertTrue(disk.getMessage().startsWith("quota diskGiB of user 'alice' exceeded by 1 GiB"), disk.getMessage());
        SkiffException count = assertThrows(SkiffException.class, () -> directory.checkQuota("alice", "red",
                new ResourceUsage(2, 0, 0, 0), ResourceUsage.NONE, one));
        assertEquals("instances", count.field());
        directory.checkQuota("nobody", "nogroup", ResourceUsage.NONE, ResourceUsage.NONE, one);
    }

    @Test
    void theInitialAdminComesFromTheEnvironmentOrAGeneratedFile() throws Exception {
        Path dir = Files.createTempDirectory("skiff-admin");
        MemoryStateStore fresh = new MemoryStateStore();
        Directory d = new Directory(fresh, new PasswordHasher(1000), new PasswordPolicy(8, false), Clock.systemUTC(), u -> { });
        Path file = dir.resolve("initial-admin-password");
        String generated = new InitialAdmin(d, file).ensure(null);
        assertEquals(generated, Files.readString(file).strip());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(d.passwordChangeRequired("admin"));
        assertTrue(d.authenticate("admin", generated).isPresent());
        assertNull(new InitialAdmin(d, file).ensure("ignored-now"), "only when Skiff has no users");

        MemoryStateStore other = new MemoryStateStore();
        Directory e = new Directory(other, new PasswordHasher(1000), new PasswordPolicy(8, false), Clock.systemUTC(), u -> { });
        Path file2 = dir.resolve("second");
        assertEquals("from-the-env", new InitialAdmin(e, file2).ensure("from-the-env"));
        assertFalse(Files.exists(file2));
        assertFalse(e.passwordChangeRequired("admin"));
    }

    @Test
    void sshKeysAreCheckedKeptThroughChangesAndSignUsersIn() throws Exception {
        directory.createUser("alice", null, null, null, "alice-pass", null);
        java.security.KeyPairGenerator rsa2048 = java.security.KeyPairGenerator.getInstance("RSA");
        rsa2048.initialize(2048);
        java.security.KeyPair ed = rsa2048.generateKeyPair();
        java.security.KeyPair ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        String edLine = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(ed.getPublic()) + " alice@laptop";
        String ecLine = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(ec.getPublic());
        assertTrue(edLine.startsWith("ssh-rsa AAAA") && ecLine.startsWith("ecdsa-sha2-nistp256 AAAA"), edLine + ecLine);
        String ed25519Line = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(ed25519().getPublic());
        refused(SkiffException.Kind.INVALID, "sshKeys.0", () -> directory.setSshKeys("alice", List.of(ed25519Line), "alice"));

        assertEquals(List.of(edLine, ecLine), directory.setSshKeys("alice", List.of("  " + edLine, ecLine, edLine), "alice"));
        assertTrue(directory.authenticate("alice", ed.getPublic()).isPresent());
        assertTrue(directory.authenticate("alice", ec.getPublic()).isPresent());
        java.security.KeyPair other = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertTrue(directory.authenticate("alice", other.getPublic()).isEmpty());
        assertTrue(directory.authenticate("admin", ed.getPublic()).isEmpty(), "alice's key is not admin's");

        // bad keys: named, nothing changes
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        String weak = org.apache.sshd.common.config.keys.PublicKeyEntry.toString(rsa.generateKeyPair().getPublic());
        refused(SkiffException.Kind.INVALID, "sshKeys.1", () -> directory.setSshKeys("alice", List.of(ecLine, weak), "alice"));
        refused(SkiffException.Kind.INVALID, "sshKeys.0", () -> directory.setSshKeys("alice", List.of("ssh-dss AAAAB3Nza"), "alice"));
        refused(SkiffException.Kind.INVALID, "sshKeys.0", () -> directory.setSshKeys("alice", List.of("ssh-ed25519 bm90IGEga2V5"), "alice"));
        refused(SkiffException.Kind.INVALID, "sshKeys.0", () -> directory.setSshKeys("alice", java.util.Arrays.asList((String) null), "alice"));
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> directory.setSshKeys("nobody", List.of(), "admin")).kind());
        assertEquals(List.of(edLine, ecLine), directory.sshKeys("alice"));

        // a password change and a user change keep the keys; disabling the user stops key sign-ins
        directory.changePassword("alice", "alice-pass", "alice-pass-2", "alice");
        directory.updateUser("alice", "Alice", null, null, false, null, "admin");
        assertEquals(List.of(edLine, ecLine), directory.sshKeys("alice"));
        assertTrue(directory.authenticate("alice", ed.getPublic()).isEmpty(), "disabled");
        assertEquals(List.of(), directory.setSshKeys("alice", List.of(), "admin"));
    }

    /** An Ed25519 key pair the way Karaf's SSH server reads one: through Bouncy Castle (its ssh feature has it). */
    private static java.security.KeyPair ed25519() throws Exception {
        java.security.KeyPairGenerator g = org.apache.sshd.common.util.security.SecurityUtils.getKeyPairGenerator("EdDSA");
        g.initialize(255);
        return g.generateKeyPair();
    }
}
