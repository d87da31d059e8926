package io.skiff.api.cell;

/**
 * A migration the source cell is asked to run (live, or cold of a stopped instance).
 *
 * @param instanceId the instance
 * @param target where it goes, as the target prepared it
 * @param copyStorage whether the disks' content is copied (local storage) or shared
 */
public record OutgoingMigration(String instanceId, MigrationTarget target, boolean copyStorage) {
}
