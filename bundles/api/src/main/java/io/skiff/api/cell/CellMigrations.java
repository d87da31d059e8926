package io.skiff.api.cell;

/**
 * Moving an instance from one cell to another: the source describes it, the target prepares for it, the source
 * migrates it (live, or cold) and is asked how that goes, the target takes ownership and the other
 * side releases its copy. Every request is idempotent, so a task's retry or undo may repeat it.
 */
public interface CellMigrations {

    /** What the cell holds of the instance (its volumes, MAC, console password, whether its domain runs). */
    @CellRequest(value = CellProtocol.MIGRATION_SOURCE, changes = false)
    MigrationSource describe(InstanceAction action);

    /** Prepares the target side; a cell that already holds the instance answers with what it has. */
    @CellRequest(CellProtocol.MIGRATION_PREPARE)
    MigrationTarget prepare(IncomingMigration request);

    /**
     * Starts the migration to the target (live when the instance runs, cold when it is stopped: the guest does not
     * run); {@link #status} tells how it goes.
     */
    @CellRequest(CellProtocol.MIGRATION_START)
    Ack start(OutgoingMigration request);

    /** How the cell's last migration of the instance goes or went. */
    @CellRequest(value = CellProtocol.MIGRATION_STATUS, changes = false)
    MigrationStatus status(InstanceAction action);

    /** The cell owns the moved instance now. */
    @CellRequest(CellProtocol.MIGRATION_COMPLETE)
    Ack complete(MigrationCompletion request);

    /** The cell gives up its copy of an instance that lives on another cell. */
    @CellRequest(CellProtocol.MIGRATION_RELEASE)
    Ack release(CopyRelease request);

    /** Resumes the domain if a failed migration left it paused. */
    @CellRequest(CellProtocol.MIGRATION_RECOVER)
    Ack recover(InstanceAction action);
}
