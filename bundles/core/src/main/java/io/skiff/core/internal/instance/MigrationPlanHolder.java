package io.skiff.core.internal.instance;

import io.skiff.api.cell.MigrationSource;
import io.skiff.api.cell.MigrationTarget;

/**
 * What one migration task learns in a step and needs in a later one (the source's description, the target's
 * paths); kept in memory only: after a crash no step is applied again, only undone from its journaled data.
 */
final class MigrationPlanHolder {
    volatile MigrationSource source;
    volatile MigrationTarget target;
    /** Whether the live migration goes over TLS (decided before the task was queued). */
    volatile boolean tls;
}
