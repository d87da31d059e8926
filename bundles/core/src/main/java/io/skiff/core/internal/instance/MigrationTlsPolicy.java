package io.skiff.core.internal.instance;

import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.model.Cell;
import io.skiff.api.service.SkiffException;

import java.util.Locale;

/**
 * Whether a live migration goes over the hypervisor's migration TLS, by the Core's setting {@code migrationTls}:
 * {@code prefer} (the default) when both cells are ready (they hold certificates of the cluster CA), {@code require}
 * the same but a migration between cells that are not both ready is refused ({@code 409}, field {@code cell}, naming
 * the cell and why), {@code off} never.
 */
enum MigrationTlsPolicy {
    PREFER, REQUIRE, OFF;

    /** @throws SkiffException CONFLICT (field {@code migrationTls}) for a value that is none of the three */
    static MigrationTlsPolicy of(String setting) {
        try {
            return valueOf(setting.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw SkiffException.conflict("migrationTls", "the Core's setting migrationTls is '" + setting
                    + "'; it must be prefer, require or off");
        }
    }

    /**
     * @return whether the migration from {@code source} to {@code target} uses TLS
     * @throws SkiffException CONFLICT (field {@code cell}) when TLS is required and a cell is not ready
     */
    boolean use(Cell source, Cell target) {
        if (this == OFF) {
            return false;
        }
        String notReady = why(source) != null ? why(source) : why(target);
        if (notReady == null) {
            return true;
        }
        if (this == REQUIRE) {
            throw SkiffException.conflict("cell", "migrationTls is require, but " + notReady);
        }
        return false;
    }

    /** @return why the cell cannot take part in a migration over TLS, or {@code null} when it can */
    private static String why(Cell cell) {
        String state = cell.migrationTls();
        if (MigrationTlsReport.READY.equals(state)) {
            return null;
        }
        if (MigrationTlsReport.REQUESTED.equals(state)) {
            return "cell " + cell.id() + " is not ready for migration TLS: it waits for its certificate from the"
                    + " cluster CA";
        }
        if (MigrationTlsReport.OFF.equals(state)) {
            return "cell " + cell.id() + " is not ready for migration TLS: it has no migrationTlsDir";
        }
        return "cell " + cell.id() + " is not ready for migration TLS: it has not reported it (an older version?)";
    }
}
