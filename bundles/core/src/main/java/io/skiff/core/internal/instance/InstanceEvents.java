package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceEvent;
import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceEventService;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An instance's events, read from the operation log: every entry whose resource is the instance, by its id or by its
 * name ({@code instances/<id>}, {@code instances/<name>}: requests name it either way, the Core's own entries by
 * name), newest first. Whoever may see the instance may read them; without an operation log there are none.
 */
final class InstanceEvents implements InstanceEventService {

    private final InstanceAccess access;
    private final Supplier<OperationLog> log;

    /** @param log the operation log as it is now, or {@code null} while there is none */
    InstanceEvents(InstanceAccess access, Supplier<OperationLog> log) {
        this.access = access;
        this.log = log;
    }

    @Override
    public List<InstanceEvent> events(String idOrName, int limit, AuthenticatedUser caller) {
        InstanceRecord r = access.require(idOrName, caller);
        OperationLog operations = log.get();
        if (operations == null) {
            return List.of();
        }
        Set<String> resources = new LinkedHashSet<>(List.of("instances/" + r.id(), "instances/" + r.spec().name()));
        List<OperationRecord> entries = new ArrayList<>();
        for (String resource : resources) {
            // "contains" also matches longer names (web-1 in web-10): the exact resource is kept below
            for (OperationRecord e : operations.query(new OperationQuery(null, null, null, resource, null, 0))) {
                if (resource.equals(e.resource())) {
                    entries.add(e);
                }
            }
        }
        return entries.stream().sorted(Comparator.comparing(OperationRecord::time).reversed())
                .limit(limit > 0 ? limit : Long.MAX_VALUE).map(InstanceEvent::of).toList();
    }
}
