package io.skiff.core.internal.instance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Instances a cell keeps reporting that the Core removes from it once they have been reported for a grace period and
 * no unfinished task works on them (the {@link OrphanSweeper}'s orphans, the {@link StaleCopies}' copies): per cell
 * and instance, when first reported; what a cell stops reporting is forgotten, so the grace starts over.
 */
final class ReportedCandidates {
    private final Duration grace;
    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    ReportedCandidates(Duration grace) {
        this.grace = grace;
    }

    /**
     * @param reported what the cell reports now
     * @param busy the instances an unfinished task works on (asked only when something is due)
     * @return the instances to act on now, forgotten here (they are candidates again if still reported later)
     */
    List<String> due(String cell, Set<String> reported, Instant now, Supplier<Set<String>> busy) {
        since.keySet().removeIf(key -> key.startsWith(cell + "/")
                && !reported.contains(key.substring(cell.length() + 1)));
        List<String> due = new ArrayList<>();
        Set<String> working = null;
        for (String id : reported) {
            Instant first = since.computeIfAbsent(cell + "/" + id, k -> now);
            if (Duration.between(first, now).compareTo(grace) < 0) {
                continue;
            }
            if (working == null) {
                working = busy.get();
            }
            if (!working.contains(id)) {
                since.remove(cell + "/" + id);
                due.add(id);
            }
        }
        return due;
    }
}
