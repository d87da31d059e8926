package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.Pager;
import io.skiff.api.service.Pager.Order;
import io.skiff.api.service.Pager.Position;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Pages of instances ({@link InstanceService#page}) walked along the records' sorted indexes: a page builds the
 * statuses of its own items (and of the ones its filter looks at), not of every instance, and sorts nothing. The
 * cursor and the order are {@link InstanceService#ORDER}'s, so a page answered here continues one cut out of a list
 * and the other way round.
 */
final class InstancePages {
    private static final Pager<InstanceStatus> ORDER = InstanceService.ORDER;
    private static final Order BY_ID = ORDER.order("id");

    private final InstanceRecords records;
    private final CellReports reports;
    private final InstanceAccess access;

    InstancePages(InstanceRecords records, CellReports reports, InstanceAccess access) {
        this.records = records;
        this.reports = reports;
        this.access = access;
    }

    /**
     * @throws io.skiff.api.service.SkiffException {@code INVALID sort} or {@code INVALID cursor}
     */
    Page<InstanceStatus> page(InstanceFilter filter, PageRequest request, AuthenticatedUser caller) {
        Order order = ORDER.order(request.sort());
        Position after = ORDER.after(request, order);
        Matching matching = new Matching(filter == null ? InstanceFilter.ALL : filter, caller, reports.statusNow());
        // counted on the way when the walk starts at the beginning; after a cursor the ones before it count too
        boolean countOnTheWay = request.total() && after == null;
        List<InstanceStatus> items = new ArrayList<>(Math.min(request.limit(), 1024));
        String next = null;
        int matched = 0;
        for (Iterator<InstanceRecord> walk = records.walk(order, after); walk.hasNext(); ) {
            InstanceStatus status = matching.status(walk.next());
            if (status == null) {
                continue;
            }
            matched++;
            if (items.size() < request.limit()) {
                items.add(status);
            } else if (next == null) {
                next = ORDER.cursorAfter(order, items.get(items.size() - 1));
                if (!countOnTheWay) {
                    break;
                }
            }
        }
        Integer total = null;
        if (countOnTheWay) {
            total = matched;
        } else if (request.total()) {
            total = count(matching);
        }
        return new Page<>(items, next, total);
    }

    private int count(Matching matching) {
        int n = 0;
        for (Iterator<InstanceRecord> walk = records.walk(BY_ID, null); walk.hasNext(); ) {
            if (matching.status(walk.next()) != null) {
                n++;
            }
        }
        return n;
    }

    /** Which records a page lists: ones the caller may see that match the filter. */
    private final class Matching {
        private final InstanceFilter filter;
        private final AuthenticatedUser caller;
        private final Function<InstanceRecord, InstanceStatus> status;

        Matching(InstanceFilter filter, AuthenticatedUser caller, Function<InstanceRecord, InstanceStatus> status) {
            this.filter = filter;
            this.caller = caller;
            this.status = status;
        }

        /** @return the record's status when it is listed, else {@code null} (its status built only if needed) */
        InstanceStatus status(InstanceRecord r) {
            if (!filter.matches(r.spec().poolId(), r.cellId(), r.owner(), r.spec().name())
                    || (caller != null && !access.canSee(r, caller))) {
                return null;
            }
            InstanceStatus s = status.apply(r);
            return filter.state() == null || s.state() == filter.state() ? s : null;
        }
    }
}
