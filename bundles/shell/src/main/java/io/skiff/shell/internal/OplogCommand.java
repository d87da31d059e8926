package io.skiff.shell.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

@Service
@Command(scope = "skiff", name = "oplog", description = "Shows the operation log, newest first")
@RequiresPermission("oplog.read")
public class OplogCommand extends SkiffAction {

    @Reference
    private OperationLog log;

    @Option(name = "-u", aliases = "--user", description = "Only this user")
    private String user;

    @Option(name = "-r", aliases = "--resource", description = "Only resources containing this text")
    private String resource;

    @Option(name = "-o", aliases = "--outcome", description = "success, denied or failed")
    private String outcome;

    @Option(name = "-s", aliases = "--since", description = "From: an ISO instant, or minutes ago (e.g. 60)")
    private String since;

    @Option(name = "--until", description = "To: an ISO instant")
    private String until;

    @Option(name = "-n", aliases = "--limit", description = "At most this many entries (default 50)")
    private int limit = 50;

    @Option(name = "--cursor", description = "Go on after the entries shown before: the cursor that listing printed")
    private String cursor;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        for (String c : new String[]{"Time", "User", "Address", "Action", "Resource", "Outcome", "Task", "Detail"}) {
            table.column(c);
        }
        if (limit < 1) {
            throw SkiffException.invalid("limit", "limit must be positive");
        }
        Page<OperationRecord> page = log.page(new OperationQuery(time("since", since), time("until", until), user,
                resource, outcome, limit), new PageRequest(limit, cursor, null, false));
        for (OperationRecord r : page.items()) {
            table.addRow().addContent(r.time(), r.user(), r.address(), r.action(), r.resource() == null ? "" : r.resource(),
                    r.outcome(), r.taskId() == null ? "" : r.taskId(), r.detail() == null ? "" : r.detail());
        }
        table.print(System.out);
        if (page.nextCursor() != null) {
            System.out.println("Older entries: the same command with --cursor " + page.nextCursor());
        }
        return null;
    }

    private static Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.matches("\\d+")) {
            return Instant.now().minus(Duration.ofMinutes(Long.parseLong(value)));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw SkiffException.invalid(field, field + " must be minutes or an ISO instant");
        }
    }
}
