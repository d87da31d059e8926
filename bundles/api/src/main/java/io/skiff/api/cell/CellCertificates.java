package io.skiff.api.cell;

/**
 * The certificates a cell's hypervisor uses for migration TLS: the cell reports a certificate request
 * ({@link MigrationTlsReport}) and the Core answers with the certificate the cluster CA signed.
 */
public interface CellCertificates {

    /** Keeps the signed certificate and the CA's for the hypervisor; refused when it is not for the pending key. */
    @CellRequest(value = CellProtocol.MIGRATION_TLS_INSTALL, changes = false)
    Ack installMigrationTls(MigrationTlsCertificate certificate);
}
