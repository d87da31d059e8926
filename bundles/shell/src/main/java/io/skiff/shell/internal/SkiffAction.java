package io.skiff.shell.internal;

import io.skiff.api.model.Labels;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationLogRule;
import io.skiff.api.service.Permissions;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Base of the Skiff commands: checks the permission the command's class declares ({@link RequiresPermission},
 * the same names as the REST operations doing the same thing) for the signed-in user, writes state-changing commands
 * and refused attempts to the operation log (by the operation log's rule, {@link OperationLogRule}, as REST does),
 * and turns a {@link SkiffException} into one clear error line, the way Karaf prints command errors.
 */
abstract class SkiffAction implements Action {

    @Reference(optional = true)
    protected IdentityService identity;

    @Reference(optional = true)
    private OperationLog oplog;

    private AuthenticatedUser caller;

    @Override
    public final Object execute() throws Exception {
        Command command = getClass().getAnnotation(Command.class);
        String name = command.scope() + ":" + command.name();
        RequiresPermission required = getClass().getAnnotation(RequiresPermission.class);
        String permission = required == null ? null : required.value();
        caller = ShellCaller.resolve(identity);
        if (permission == null || caller == null || !caller.hasPermission(permission)) {
            String who = caller == null ? ShellCaller.currentUser() : caller.name();
            SkiffException refused = new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden",
                    permission == null ? "command " + name + " declares no permission"
                            : "permission denied: user '" + who + "' lacks permission '" + permission + "'", null);
            record(name, true, refused);
            throw new IllegalArgumentException(refused.getMessage());
        }
        boolean changes = Permissions.changesState(permission);
        try {
            Object result = run();
            record(name, changes, null);
            return result;
        } catch (SkiffException e) {
            record(name, changes, e);
            throw new IllegalArgumentException(e.getMessage() + (e.field() == null ? "" : " [" + e.field() + "]"));
        } catch (RuntimeException e) {
            record(name, changes, e);
            throw e;
        }
    }

    protected abstract Object run() throws Exception;

    /**
     * @return the signed-in caller with its permissions, as the Core's services take it: they answer only about what
     *     it may see (visibility lives in the Core, the same for REST and shell)
     */
    protected AuthenticatedUser caller() {
        return caller;
    }

    /**
     * Attaches a pool the command has just created to a compute pool, or deletes the pool again when that is refused
     * (a create with {@code --attach} is all or nothing), and says so.
     *
     * @param what e.g. {@code Address pool shared}
     */
    /**
     * @return the constant of {@code type} that {@code value} names (any case), {@code null} when none is given
     * @throws SkiffException naming {@code field} and the allowed values, for any other value
     */
    protected static <E extends Enum<E>> E constant(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid(field, field + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    /**
     * @param pairs {@code key=value} each
     * @return the labels they give, in order
     * @throws SkiffException naming {@code field}, for a pair without {@code =} or one key given twice
     */
    protected static Map<String, String> labelPairs(String field, List<String> pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (pairs != null) {
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq < 1 || labels.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                    throw SkiffException.invalid(field, "labels are key=value, each key once: '" + pair + "'");
                }
            }
        }
        return labels;
    }

    /** @return label selectors ({@code key=value} or {@code key}); {@code INVALID field} for a bad one */
    protected static Map<String, String> labelSelectors(String field, List<String> selectors) {
        try {
            return Labels.selectors(selectors);
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid(field, e.getMessage());
        }
    }

    /** @return {@code key=value,...}, or {@code -} for none */
    static String labelText(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        labels.forEach((k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return text.toString();
    }

    protected static void attachOrDelete(String what, String computePool, Runnable attach, Runnable delete) {
        try {
            attach.run();
        } catch (RuntimeException e) {
            delete.run();
            throw e;
        }
        System.out.println(what + " attached to compute pool " + computePool);
    }

    /** @throws SkiffException forbidden, naming {@code permission}, unless the caller is {@code user} or holds it */
    protected void requireSelfOr(String user, String permission) {
        if (!user.equals(caller().name()) && !caller().hasPermission(permission)) {
            throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden",
                    "permission denied: user '" + caller().name() + "' lacks permission '" + permission + "'", null);
        }
    }

    /**
     * Writes the command to the operation log when the operation log's rule ({@link OperationLogRule}, the same as
     * for REST) says so.
     *
     * @param changes whether the command may change state
     * @param error what it failed with, or {@code null} when it succeeded
     */
    private void record(String action, boolean changes, RuntimeException error) {
        OperationLog log = oplog;
        String outcome = OperationLogRule.outcome(error);
        if (log == null || !OperationLogRule.logged(changes, outcome)) {
            return;
        }
        try {
            String who = caller != null ? caller.name() : ShellCaller.currentUser();
            log.record(new OperationRecord(Instant.now(), who, ShellCaller.channel(), "shell",
                    action, resource(), outcome, 0, null, error == null ? null : error.getMessage()));
        } catch (RuntimeException ignored) {
            // the command's own outcome matters more than its log line
        }
    }

    /** @return the command's first argument (the resource it acts on), or {@code null} */
    private String resource() {
        for (Class<?> c = getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Argument a = f.getAnnotation(Argument.class);
                if (a != null && a.index() == 0 && !f.getType().isArray()) {
                    try {
                        f.setAccessible(true);
                        Object v = f.get(this);
                        return v == null ? null : v.toString();
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** @return mebibytes given as an option in bytes, or {@code null} when the option was not given */
    static Long mebibytes(Long mib) {
        return mib == null ? null : mib << 20;
    }

    static String bytes(long bytes) {
        if (bytes <= 0) {
            return "-";
        }
        double gib = bytes / (1024.0 * 1024 * 1024);
        return gib >= 1 ? String.format("%.1f GiB", gib) : String.format("%.0f MiB", bytes / (1024.0 * 1024));
    }
}
