package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Labels;
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

/**
 * Pages of instances ({@link InstanceService#page}) walked along the records' sorted indexes: a page builds the
 * statuses of its own items only (a state filter works out the state of the ones it looks at), and sorts nothing. The
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
        Matching matching = new Matching(filter == null ? InstanceFilter.ALL : filter, caller);
        // every instance matches: the count is known; else counted on the way when the walk starts at the
        // beginning, or by a walk of its own after a cursor (the ones before it count too)
        boolean countAll = request.total() && matching.all();
        boolean countOnTheWay = request.total() && !countAll && after == null;
        List<InstanceStatus> items = new ArrayList<>(Math.min(request.limit(), 1024));
        String next = null;
        int matched = 0;
        for (Iterator<InstanceRecord> walk = records.walk(order, after); walk.hasNext(); ) {
            InstanceRecord r = walk.next();
            if (!matching.matches(r)) {
                continue;
            }
            matched++;
            if (items.size() < request.limit()) {
                items.add(matching.status(r));
            } else if (next == null) {
                next = ORDER.cursorAfter(order, items.get(items.size() - 1));
                if (!countOnTheWay) {
                    break;
                }
            }
        }
        Integer total = null;
        if (countAll) {
            total = records.size();
        } else if (countOnTheWay) {
            total = matched;
        } else if (request.total()) {
            total = count(matching);
        }
        return new Page<>(items, next, total);
    }

    private int count(Matching matching) {
        int n = 0;
        for (Iterator<InstanceRecord> walk = records.walk(BY_ID, null); walk.hasNext(); ) {
            if (matching.matches(walk.next())) {
                n++;
            }
        }
        return n;
    }

    /** Which records a page lists: ones the caller may see that match the filter. */
    private final class Matching {
        private final InstanceFilter filter;
        private final AuthenticatedUser caller;
        private final CellReports.Now cells;
        /** whether the caller sees every instance: then nobody is asked about each one */
        private final boolean seesAll;

        Matching(InstanceFilter filter, AuthenticatedUser caller) {
            this.filter = filter;
            this.caller = caller;
            this.cells = reports.now();
            this.seesAll = caller == null || access.seesAll(caller);
        }

        /** @return whether the record is listed (its status is not built: the state alone is worked out if asked) */
        boolean matches(InstanceRecord r) {
            return filter.matches(r.spec().poolId(), r.cellId(), r.owner(), r.spec().name())
                    && Labels.satisfy(r.spec().labels(), filter.labels())
                    && (seesAll || access.canSee(r, caller))
                    && (filter.state() == null || cells.state(r) == filter.state());
        }

        /** @return whether every instance matches */
        boolean all() {
            return seesAll && filter.equals(InstanceFilter.ALL);
        }

        InstanceStatus status(InstanceRecord r) {
            return cells.status(r);
        }
    }
}
