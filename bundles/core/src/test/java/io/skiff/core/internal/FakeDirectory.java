package io.skiff.core.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.function.Executable;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A directory for the Core's visibility tests, with the auth bundle's rule: {@code alice} (group {@code red}),
 * {@code bob} ({@code blue}), {@code carol} and {@code dave} ({@code team}, which shares its resources) and
 * {@code otto} (holding {@code resource.all}). It sees nothing else: quotas never refuse. With the assertion those
 * tests share.
 */
public final class FakeDirectory {
    public static final AuthenticatedUser ALICE = user("alice", "red");
    public static final AuthenticatedUser BOB = user("bob", "blue");
    public static final AuthenticatedUser CAROL = user("carol", "team");
    public static final AuthenticatedUser DAVE = user("dave", "team");
    public static final AuthenticatedUser OTTO = new AuthenticatedUser("otto", Set.of("operator"), "ops",
            Set.of("instance.read", Permissions.RESOURCE_ALL));

    private static final Map<String, String> GROUPS = Map.of("alice", "red", "bob", "blue", "carol", "team",
            "dave", "team", "otto", "ops");
    private static final Set<String> SHARING = Set.of("team");

    private FakeDirectory() {
    }

    private static AuthenticatedUser user(String name, String group) {
        return new AuthenticatedUser(name, Set.of("user"), group, Permissions.USER);
    }

    /** @return the directory as an identity service (only groupOf, canSee, seesAll and checkQuota answer) */
    public static IdentityService create() {
        return (IdentityService) Proxy.newProxyInstance(IdentityService.class.getClassLoader(),
                new Class<?>[] {IdentityService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "groupOf" -> GROUPS.getOrDefault((String) args[0], (String) args[0]);
                    case "canSee" -> canSee((AuthenticatedUser) args[0], (String) args[1], (String) args[2]);
                    case "checkQuota" -> null;
                    case "seesAll" -> InvocationHandler.invokeDefault(proxy, method, args);
                    case "toString" -> "FakeDirectory";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Asserts that a call is refused {@code NOT_FOUND} with this field and message (as for a missing resource). */
    public static void assertNotFound(String field, String message, Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind(), e.getMessage());
        assertEquals(field, e.field());
        assertEquals(message, e.getMessage());
    }

    private static boolean canSee(AuthenticatedUser caller, String owner, String group) {
        return caller != null && (caller.hasPermission(Permissions.RESOURCE_ALL) || caller.name().equals(owner)
                || (SHARING.contains(group) && group.equals(caller.group())));
    }
}
