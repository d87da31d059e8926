package io.skiff.core.internal.tls;

import io.skiff.api.service.SkiffException;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The cluster CA: made once, kept, signs the cells' certificate requests")
class ClusterCertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static GeneralNames names(GeneralName... names) {
        return new GeneralNames(names);
    }

    @Test
    @DisplayName("on first use: a self-signed CA for 10 years, its key mode 600; a second instance loads the same")
    void madeOnceAndKept() throws Exception {
        Path ca = dir.resolve("ca");
        X509Certificate cert = parse(new ClusterCertificateAuthority(ca, clock).certificatePem());
        cert.verify(cert.getPublicKey());
        assertTrue(cert.getBasicConstraints() >= 0, "a CA certificate");
        assertTrue(cert.getKeyUsage()[5], "keyCertSign");
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertTrue(Duration.between(NOW, cert.getNotAfter().toInstant()).toDays() >= 3652, cert.getNotAfter()
                .toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.resolve("ca-key.pem"))));
        assertTrue(Files.readString(ca.resolve("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (var files = Files.list(ca)) {
            assertEquals(Set.of("ca-key.pem", "ca-cert.pem"), files.map(p -> p.getFileName().toString())
                    .collect(Collectors.toSet()), "no temporary file left");
        }

        ClusterCertificateAuthority again = new ClusterCertificateAuthority(ca, clock);
        assertArrayEquals(cert.getEncoded(), parse(again.certificatePem()).getEncoded(), "loaded, not made again");
        KeyPair cell = CertificateRequests.keyPair();
        X509Certificate issued = parse(again.sign(CertificateRequests.pem("CN=host2", cell, cell,
                names(new GeneralName(GeneralName.iPAddress, "10.0.0.2"))), "host2"));
        issued.verify(cert.getPublicKey()); // the loaded key signs for the kept certificate
    }

    @Test
    @DisplayName("a cell's request: a certificate for its key, its SANs, server and client auth, one year")
    void signsARequest() throws Exception {
        ClusterCertificateAuthority ca = new ClusterCertificateAuthority(dir, clock);
        KeyPair cell = CertificateRequests.keyPair();
        String request = CertificateRequests.pem("CN=host2", cell, cell, names(
                new GeneralName(GeneralName.iPAddress, "10.254.210.12"),
                new GeneralName(GeneralName.dNSName, "cell-b.example")));

        X509Certificate issued = parse(ca.sign(request, "host2"));
        issued.verify(parse(ca.certificatePem()).getPublicKey());
        assertArrayEquals(cell.getPublic().getEncoded(), issued.getPublicKey().getEncoded());
        assertEquals("CN=host2", issued.getSubjectX500Principal().getName());
        assertEquals(-1, issued.getBasicConstraints(), "not a CA");
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), issued.getExtendedKeyUsage());
        assertTrue(issued.getKeyUsage()[0] && issued.getKeyUsage()[2], "digitalSignature, keyEncipherment");
        assertEquals(Set.of(List.of(7, "10.254.210.12"), List.of(2, "cell-b.example")),
                Set.copyOf(issued.getSubjectAlternativeNames().stream().map(List::copyOf).toList()));
        assertEquals(NOW.plus(Duration.ofDays(365)), issued.getNotAfter().toInstant());
        assertFalse(issued.getNotBefore().toInstant().isAfter(NOW), "valid now");
    }

    @Test
    @DisplayName("refused: not a request, a signature by another key, no SANs, a SAN that is no address or host name")
    void refusesBadRequests() throws Exception {
        ClusterCertificateAuthority ca = new ClusterCertificateAuthority(dir, clock);
        KeyPair cell = CertificateRequests.keyPair();
        GeneralNames ip = names(new GeneralName(GeneralName.iPAddress, "10.0.0.2"));
        for (String bad : List.of("", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                ca.certificatePem(),
                CertificateRequests.pem("CN=host2", cell, CertificateRequests.keyPair(), ip),
                CertificateRequests.pem("CN=host2", cell, cell, null),
                CertificateRequests.pem("CN=host2", cell, cell, names(new GeneralName(GeneralName.rfc822Name,
                        "root@example.org"))))) {
            SkiffException e = assertThrows(SkiffException.class, () -> ca.sign(bad, "host2"), bad);
            assertEquals(SkiffException.Kind.INVALID, e.kind(), e.getMessage());
            assertEquals("certificateRequest", e.field());
            assertTrue(e.getMessage().contains("cell host2"), e.getMessage());
        }
    }
}
