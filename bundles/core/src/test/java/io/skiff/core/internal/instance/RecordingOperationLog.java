package io.skiff.core.internal.instance;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An operation log in memory for unit tests: keeps every entry; a query filters by resource as the file log does. */
final class RecordingOperationLog implements OperationLog {
    final List<OperationRecord> entries = new CopyOnWriteArrayList<>();

    @Override
    public void record(OperationRecord entry) {
        entries.add(entry);
    }

    /** As the file log: {@code resource} is a contains-filter, newest first, the other filters unused here. */
    @Override
    public List<OperationRecord> query(OperationQuery q) {
        return entries.stream().filter(r -> q.resource() == null
                || r.resource() != null && r.resource().contains(q.resource()))
                .sorted((a, b) -> b.time().compareTo(a.time())).toList();
    }
}
