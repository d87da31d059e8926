package io.skiff.api.cell;

/**
 * A migration the source cell is asked to run (live, or cold of a stopped instance).
 *
 * @param instanceId the instance
 * @param target where it goes, as the target prepared it
 * @param copyStorage whether the disks' content is copied (local storage) or shared
 * @param tls whether the migration stream goes over the hypervisor's migration TLS (both cells have certificates
 *     of the cluster CA)
 */
public record OutgoingMigration(String instanceId, MigrationTarget target, boolean copyStorage, boolean tls) {

    /** A migration in clear text (as an older Core asks for it). */
    public OutgoingMigration(String instanceId, MigrationTarget target, boolean copyStorage) {
        this(instanceId, target, copyStorage, false);
    }
}
