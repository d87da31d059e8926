package io.skiff.api.cell;

/**
 * A certificate the cluster CA issued for a cell's migration TLS, in answer to the request the cell reported.
 *
 * @param caCertificate the cluster CA's certificate (PEM), which the cell trusts for its peers
 * @param certificate the cell's certificate (PEM), for the key of its request; server and client authentication
 */
public record MigrationTlsCertificate(String caCertificate, String certificate) {
}
