package io.skiff.cell.internal;

import io.skiff.api.cell.MigrationTlsCertificate;
import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.service.SkiffException;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The cell's migration TLS certificates: request, the five files QEMU reads, renewal")
class MigrationTlsCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    @TempDir
    Path dir;

    private final KeyPair ca = keyPair();

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private MigrationTlsCertificates certificates(Instant now) {
        return new MigrationTlsCertificates(dir, "host2", Arrays.asList("10.0.0.2", null, "10.0.0.2", "cell-b", ""),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** A stand-in for the cluster CA: a certificate for {@code key}, valid {@code days} from NOW, PEM. */
    private String issue(PublicKey key, KeyPair signer, String subject, int days) throws Exception {
        var holder = new JcaX509v3CertificateBuilder(new X500Name("CN=test CA"), BigInteger.TEN, Date.from(NOW),
                Date.from(NOW.plus(Duration.ofDays(days))), new X500Name(subject), key)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new JcaMiscPEMGenerator(holder));
        }
        return text.toString();
    }

    private static PKCS10CertificationRequest parse(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        }
    }

    private static PublicKey keyOf(PKCS10CertificationRequest request) throws Exception {
        return KeyFactory.getInstance("EC").generatePublic(
                new X509EncodedKeySpec(request.getSubjectPublicKeyInfo().getEncoded()));
    }

    private Map<String, String> modes() throws Exception {
        try (var files = Files.list(dir)) {
            return files.collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, (a, b) -> a, TreeMap::new));
        }
    }

    @Test
    @DisplayName("without a directory, or with one that does not exist: off, no request")
    void offWithoutADirectory() {
        MigrationTlsReport report = new MigrationTlsCertificates(null, "host2", List.of("10.0.0.2"),
                Clock.systemUTC()).report();
        assertEquals(new MigrationTlsReport(MigrationTlsReport.OFF, null, null), report);
        MigrationTlsReport missing = new MigrationTlsCertificates(dir.resolve("missing"), "host2",
                List.of("10.0.0.2"), Clock.systemUTC()).report();
        assertEquals(MigrationTlsReport.OFF, missing.state(), "a directory that does not exist: off, no request");
    }

    @Test
    @DisplayName("a request for a new EC key with its addresses and names; the answer gives the five files, keys 600")
    void requestsThenWritesTheFiveFiles() throws Exception {
        MigrationTlsCertificates certificates = certificates(NOW);
        MigrationTlsReport asked = certificates.report();
        assertEquals(MigrationTlsReport.REQUESTED, asked.state());
        assertEquals(asked.certificateRequest(), certificates.report().certificateRequest(), "one request, kept");
        PKCS10CertificationRequest request = parse(asked.certificateRequest());
        assertEquals("CN=host2", request.getSubject().toString());
        Extensions extensions = Extensions.getInstance(request.getAttributes(
                PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        assertEquals(new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "10.0.0.2"),
                new GeneralName(GeneralName.dNSName, "cell-b")}),
                GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the key stays in memory until its certificate comes");
        }

        String cert = issue(keyOf(request), ca, "CN=host2", 365);
        certificates.installMigrationTls(new MigrationTlsCertificate(issue(ca.getPublic(), ca, "CN=test CA", 3650),
                cert));
        assertEquals(new TreeMap<>(Map.of("ca-cert.pem", "rw-r--r--", "server-cert.pem", "rw-r--r--",
                "client-cert.pem", "rw-r--r--", "server-key.pem", "rw-------", "client-key.pem", "rw-------")),
                modes(), "exactly the files of migrate_tls_x509_cert_dir, no temporary file left");
        assertEquals(cert, Files.readString(dir.resolve("server-cert.pem")));
        assertEquals(cert, Files.readString(dir.resolve("client-cert.pem")));
        String key = Files.readString(dir.resolve("server-key.pem"));
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----"), key);
        try (PEMParser parser = new PEMParser(new StringReader(key))) {
            ECPrivateKey inner = ECPrivateKey.getInstance(((PrivateKeyInfo) parser.readObject()).parsePrivateKey());
            assertNotNull(inner.getPublicKey(), "GnuTLS needs the public key inside the EC key");
            assertNotNull(inner.getParametersObject(), "and the curve");
        }
        assertEquals(key, Files.readString(dir.resolve("client-key.pem")));
        MigrationTlsReport ready = certificates.report();
        assertEquals(MigrationTlsReport.READY, ready.state());
        assertNull(ready.certificateRequest());
        assertEquals(NOW.plus(Duration.ofDays(365)), ready.notAfter());

        MigrationTlsReport afterRestart = certificates(NOW).report();
        assertEquals(MigrationTlsReport.READY, afterRestart.state(), "the files are found again after a restart");
    }

    @Test
    @DisplayName("refused: a certificate for another key, or not signed by the CA sent with it; nothing is written")
    void refusesACertificateThatDoesNotFit() throws Exception {
        MigrationTlsCertificates certificates = certificates(NOW);
        PKCS10CertificationRequest request = parse(certificates.report().certificateRequest());
        String caCert = issue(ca.getPublic(), ca, "CN=test CA", 3650);
        for (String wrong : List.of(issue(keyPair().getPublic(), ca, "CN=host2", 365),
                issue(keyOf(request), keyPair(), "CN=host2", 365))) {
            SkiffException e = assertThrows(SkiffException.class,
                    () -> certificates.installMigrationTls(new MigrationTlsCertificate(caCert, wrong)));
            assertEquals(SkiffException.Kind.INVALID, e.kind(), e.getMessage());
        }
        assertEquals(Map.of(), modes());
        assertEquals(MigrationTlsReport.REQUESTED, certificates.report().state());
    }

    @Test
    @DisplayName("renewal: within 30 days of the end a new request goes out while the certificate stays in use")
    void renewsThirtyDaysBeforeTheEnd() throws Exception {
        MigrationTlsCertificates first = certificates(NOW);
        PKCS10CertificationRequest request = parse(first.report().certificateRequest());
        first.installMigrationTls(new MigrationTlsCertificate(issue(ca.getPublic(), ca, "CN=test CA", 3650),
                issue(keyOf(request), ca, "CN=host2", 40)));
        assertNull(certificates(NOW.plus(Duration.ofDays(9))).report().certificateRequest(), "31 days left");

        MigrationTlsReport soon = certificates(NOW.plus(Duration.ofDays(11))).report();
        assertEquals(MigrationTlsReport.READY, soon.state(), "29 days left: still usable");
        assertNotNull(soon.certificateRequest(), "and renewed");
        assertNotEquals(request.getSubjectPublicKeyInfo(), parse(soon.certificateRequest()).getSubjectPublicKeyInfo(),
                "a new key");
        MigrationTlsReport expired = certificates(NOW.plus(Duration.ofDays(41))).report();
        assertEquals(MigrationTlsReport.REQUESTED, expired.state(), "expired: not ready");
        assertTrue(Set.of("server-key.pem", "client-key.pem").stream().allMatch(k -> Files.exists(dir.resolve(k))));
    }
}
