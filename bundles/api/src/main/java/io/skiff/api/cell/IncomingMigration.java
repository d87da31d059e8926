package io.skiff.api.cell;

/**
 * What a target cell needs to take an instance that moves to it.
 *
 * @param spec the instance as the Core has it
 * @param source what the source cell holds of it (shared volumes are used as they are; local ones are made empty
 *     with the same sizes, for the migration to copy into)
 */
public record IncomingMigration(CellInstanceSpec spec, MigrationSource source) {
}
