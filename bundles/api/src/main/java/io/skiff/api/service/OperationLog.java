package io.skiff.api.service;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;

import java.util.List;

/** The durable log of who did what: every state-changing call, refused attempts and failed sign-ins. */
public interface OperationLog {

    /** Appends an entry (durably, before returning). */
    void record(OperationRecord entry);

    /** @return matching entries, newest first */
    List<OperationRecord> query(OperationQuery query);

    /**
     * A page of the matching entries in the order they were written: {@code sort} {@code -time} (newest first, the
     * default) or {@code time} (oldest first). The cursor holds an entry's place in the log, so a walk of the pages
     * meets every entry that stays in the log exactly once, however many are written meanwhile (new ones are ahead
     * of a newest-first walk). The query's {@code limit} is ignored; the request's counts, capped by the log's most
     * results per query (the next page holds the rest).
     * <p>
     * This default answers the first page of {@link #query} (its count is at most the log's most results) and refuses
     * a cursor or another sort; a log that numbers its entries overrides it.
     *
     * @throws SkiffException {@code INVALID cursor} or {@code INVALID sort}
     * @since 2.5
     */
    default Page<OperationRecord> page(OperationQuery query, PageRequest request) {
        if (request.cursor() != null && !request.cursor().isEmpty()) {
            throw SkiffException.invalid("cursor", "this operation log cannot be read in pages");
        }
        if (request.sort() != null && !request.sort().isEmpty() && !request.sort().equals("-time")) {
            throw SkiffException.invalid("sort", "sort must be -time");
        }
        List<OperationRecord> newest = query(new OperationQuery(query.from(), query.to(), query.user(),
                query.resource(), query.outcome(), request.total() ? 0 : request.limit()));
        return new Page<>(newest.subList(0, Math.min(request.limit(), newest.size())), null,
                request.total() ? newest.size() : null);
    }
}
