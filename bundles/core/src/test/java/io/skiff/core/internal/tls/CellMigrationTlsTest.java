package io.skiff.core.internal.tls;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.MigrationTlsCertificate;
import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.service.SkiffException;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The Core answers the certificate requests in the cells' reports and notes where each cell stands")
class CellMigrationTlsTest {
    @TempDir
    Path dir;

    private final List<String> installed = new ArrayList<>();
    private final List<MigrationTlsCertificate> sent = new ArrayList<>();

    private CellMigrationTls tls() {
        return new CellMigrationTls(new ClusterCertificateAuthority(dir, Clock.systemUTC()), cell -> certificate -> {
            installed.add(cell);
            sent.add(certificate);
            return new Ack(null, "installed");
        }, Runnable::run);
    }

    private static CellInstancesReport report(String cell, MigrationTlsReport tls) {
        return new CellInstancesReport(cell, List.of(), List.of(), null, List.of(), tls);
    }

    @Test
    @DisplayName("a request is signed and sent to its cell with the CA, once; the cell's state is kept")
    void signsAndSends() throws Exception {
        CellMigrationTls tls = tls();
        KeyPair key = CertificateRequests.keyPair();
        String request = CertificateRequests.pem("CN=host2", key, key,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "10.0.0.2")));
        assertNull(tls.state("host2"), "not reported yet");

        tls.onReport(report("host2", new MigrationTlsReport(MigrationTlsReport.REQUESTED, request, null)));
        assertEquals(List.of("host2"), installed);
        assertTrue(sent.get(0).caCertificate().contains("BEGIN CERTIFICATE"));
        assertTrue(sent.get(0).certificate().contains("BEGIN CERTIFICATE"));
        assertEquals(MigrationTlsReport.REQUESTED, tls.state("host2"));
        tls.onReport(report("host2", new MigrationTlsReport(MigrationTlsReport.REQUESTED, request, null)));
        assertEquals(List.of("host2"), installed, "a report sent before the cell took it: not answered twice");

        tls.onReport(report("host2", new MigrationTlsReport(MigrationTlsReport.READY, null, null)));
        tls.onReport(report("host1", new MigrationTlsReport(MigrationTlsReport.OFF, null, null)));
        tls.onReport(report("host3", null));
        assertEquals(List.of("host2"), installed, "nothing asked, nothing sent");
        assertEquals(MigrationTlsReport.READY, tls.state("host2"));
        assertEquals(MigrationTlsReport.OFF, tls.state("host1"));
        assertNull(tls.state("host3"), "an older cell says nothing");
    }

    @Test
    @DisplayName("a refused request is not signed again; a cell that did not take its certificate is answered again")
    void refusedOnceRetriedWhenNotTaken() throws Exception {
        List<String> asked = new ArrayList<>();
        CellMigrationTls tls = new CellMigrationTls(new ClusterCertificateAuthority(dir, Clock.systemUTC()),
                cell -> certificate -> {
                    asked.add(cell);
                    throw SkiffException.unavailable("cell " + cell + " is not ready");
                }, Runnable::run);
        MigrationTlsReport bad = new MigrationTlsReport(MigrationTlsReport.REQUESTED, "not a request", null);
        tls.onReport(report("host2", bad));
        tls.onReport(report("host2", bad));
        assertEquals(List.of(), asked, "refused, never sent");

        KeyPair key = CertificateRequests.keyPair();
        MigrationTlsReport good = new MigrationTlsReport(MigrationTlsReport.REQUESTED, CertificateRequests.pem(
                "CN=host2", key, key, new GeneralNames(new GeneralName(GeneralName.dNSName, "host2"))), null);
        tls.onReport(report("host2", good));
        tls.onReport(report("host2", good));
        assertEquals(List.of("host2", "host2"), asked, "the next report tries again");
    }
}
