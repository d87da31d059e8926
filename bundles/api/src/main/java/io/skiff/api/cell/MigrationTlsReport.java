package io.skiff.api.cell;

import java.time.Instant;

/**
 * Where a cell stands with the certificates of the hypervisor's migration TLS, as it reports it.
 *
 * @param state {@value #OFF} (no certificate directory configured), {@value #REQUESTED} (it waits for the cluster CA
 *     to sign {@code certificateRequest}) or {@value #READY} (its certificates are in place and valid)
 * @param certificateRequest the cell's PKCS#10 certificate request (PEM) while {@value #REQUESTED}, else {@code null};
 *     the private key stays on the cell
 * @param notAfter when the cell's certificate expires, or {@code null} without one
 */
public record MigrationTlsReport(String state, String certificateRequest, Instant notAfter) {
    public static final String OFF = "off";
    public static final String REQUESTED = "requested";
    public static final String READY = "ready";

    /** @return whether the cell can send and take migrations over TLS */
    public boolean ready() {
        return READY.equals(state);
    }
}
