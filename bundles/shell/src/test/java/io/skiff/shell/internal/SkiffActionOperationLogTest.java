package io.skiff.shell.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationLogRule;
import io.skiff.api.service.OperationQuery;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a command writes to the operation log follows the operation log's rule ({@link OperationLogRule}), as for
 * REST: state-changing commands and refusals, with the outcome the rule gives and the error's message as the detail.
 * Run without a shell session, so the caller is the local console, which holds every permission.
 */
class SkiffActionOperationLogTest {

    /** Collects the entries. */
    private static final class Recorded implements OperationLog {
        final List<OperationRecord> entries = new ArrayList<>();

        @Override
        public void record(OperationRecord entry) {
            entries.add(entry);
        }

        @Override
        public List<OperationRecord> query(OperationQuery query) {
            return entries;
        }
    }

    /** Runs what the test gives it. */
    abstract static class Runs extends SkiffAction {
        @Argument(index = 0, name = "name")
        String name = "web-1";
        Supplier<Object> body = () -> null;

        @Override
        protected Object run() {
            return body.get();
        }
    }

    @Command(scope = "skiff", name = "test-write")
    @RequiresPermission("instance.write")
    static final class WriteCommand extends Runs {
    }

    @Command(scope = "skiff", name = "test-read")
    @RequiresPermission("instance.read")
    static final class ReadCommand extends Runs {
    }

    @Command(scope = "skiff", name = "test-undeclared")
    static final class UndeclaredCommand extends Runs {
    }

    private final Recorded log = new Recorded();

    private <C extends Runs> C command(C command, Supplier<Object> body) throws Exception {
        Field oplog = SkiffAction.class.getDeclaredField("oplog");
        oplog.setAccessible(true);
        oplog.set(command, log);
        command.body = body;
        return command;
    }

    private OperationRecord only() {
        assertEquals(1, log.entries.size(), log.entries.toString());
        return log.entries.get(0);
    }

    @Test
    void aStateChangingCommandIsLoggedWithItsOutcome() throws Exception {
        command(new WriteCommand(), () -> "done").execute();
        OperationRecord entry = only();
        assertEquals(OperationRecord.SUCCESS, entry.outcome());
        assertEquals("skiff:test-write", entry.action());
        assertEquals("web-1", entry.resource());
        assertEquals("shell", entry.source());
        assertEquals("console", entry.user());
        assertEquals(0, entry.status());
        assertNull(entry.detail());
    }

    @Test
    void aReadIsLoggedOnlyWhenRefused() throws Exception {
        command(new ReadCommand(), () -> "listed").execute();
        assertTrue(log.entries.isEmpty());
        assertThrows(IllegalArgumentException.class, command(new ReadCommand(), () -> {
            throw SkiffException.invalid("state", "no such state");
        })::execute);
        assertTrue(log.entries.isEmpty(), "a failed read is not logged");
        assertThrows(IllegalArgumentException.class, command(new ReadCommand(), () -> {
            throw new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden", "not yours", null);
        })::execute);
        assertEquals(OperationRecord.DENIED, only().outcome());
        assertEquals("not yours", only().detail());
    }

    @Test
    void aQuotaIsADenialAndOtherErrorsAreFailures() throws Exception {
        IllegalArgumentException shown = assertThrows(IllegalArgumentException.class, command(new WriteCommand(), () -> {
            throw new SkiffException(SkiffException.Kind.CONFLICT, OperationLogRule.QUOTA_EXCEEDED, "quota cores exceeded",
                    "cores");
        })::execute);
        assertEquals("quota cores exceeded [cores]", shown.getMessage());
        assertEquals(OperationRecord.DENIED, only().outcome());
        assertEquals("quota cores exceeded", only().detail());

        log.entries.clear();
        assertThrows(IllegalArgumentException.class, command(new WriteCommand(), () -> {
            throw SkiffException.conflict("name", "instance 'web-1' already exists");
        })::execute);
        assertEquals(OperationRecord.FAILED, only().outcome());
        assertEquals("instance 'web-1' already exists", only().detail());

        log.entries.clear();
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, command(new WriteCommand(), () -> {
            throw bug;
        })::execute), "anything else goes on as it is");
        assertEquals(OperationRecord.FAILED, only().outcome());
        assertEquals("bug", only().detail());
    }

    @Test
    void aCommandWithoutPermissionIsRefusedAndLogged() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                command(new UndeclaredCommand(), () -> "never")::execute);
        assertEquals("command skiff:test-undeclared declares no permission", e.getMessage());
        assertEquals(OperationRecord.DENIED, only().outcome());
        assertEquals(e.getMessage(), only().detail());
    }
}
