package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellCertificates;
import io.skiff.api.cell.MigrationTlsCertificate;
import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.service.SkiffException;
import io.skiff.osgi.support.files.AtomicFiles;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cell's certificates for the hypervisor's migration TLS, kept in {@code migrationTlsDir} as QEMU's
 * {@code migrate_tls_x509_cert_dir} expects them: {@code ca-cert.pem}, {@code server-cert.pem},
 * {@code server-key.pem}, {@code client-cert.pem}, {@code client-key.pem} (one certificate and key for both ends;
 * keys mode 600; every file written atomically and given the directory's owner, so that QEMU running as its own user
 * reads them). Without a valid certificate that has more than {@link #RENEW_BEFORE} left, the cell makes a key pair
 * (EC P-256; the private key never leaves the host) and reports a PKCS#10 request with its addresses and names as
 * subject alternative names; the Core's cluster CA answers with {@link #installMigrationTls}. Without a directory
 * (none configured, or it does not exist) migration TLS is off.
 */
final class MigrationTlsCertificates implements CellCertificates {
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String CURVE = "secp256r1";
    private static final int CURVE_BITS = 256;
    static final String CA_CERT = "ca-cert.pem";
    static final List<String> CERTS = List.of("server-cert.pem", "client-cert.pem");
    static final List<String> KEYS = List.of("server-key.pem", "client-key.pem");
    private static final Logger LOG = LoggerFactory.getLogger(MigrationTlsCertificates.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Path dir;
    private final String node;
    private final List<String> names;
    private final Clock clock;
    private volatile Instant notAfter;
    private KeyPair pendingKey;
    private String pendingRequest;
    private boolean missingLogged;

    /**
     * @param dir where the hypervisor reads the certificates, or {@code null}: migration TLS off
     * @param node the cell's node name (the certificate's common name)
     * @param names the host's addresses and names the peers reach it at (subject alternative names)
     */
    MigrationTlsCertificates(Path dir, String node, List<String> names, Clock clock) {
        this.dir = dir;
        this.node = node;
        this.names = names.stream().filter(n -> n != null && !n.isBlank()).map(String::strip).distinct().toList();
        this.clock = clock;
        this.notAfter = dir == null ? null : installedUntil(dir);
    }

    /** @return where the cell stands, with a certificate request while it needs a certificate */
    synchronized MigrationTlsReport report() {
        if (dir == null) {
            return new MigrationTlsReport(MigrationTlsReport.OFF, null, null);
        }
        if (!Files.isDirectory(dir)) {
            if (!missingLogged) {
                missingLogged = true;
                LOG.warn("cell {}: migrationTlsDir {} does not exist; migration TLS stays off until it does (create it"
                        + " for QEMU's user, as qemu.conf's migrate_tls_x509_cert_dir)", node, dir);
            }
            return new MigrationTlsReport(MigrationTlsReport.OFF, null, null);
        }
        missingLogged = false;
        Instant until = notAfter;
        if (until != null && clock.instant().plus(RENEW_BEFORE).isBefore(until)) {
            return new MigrationTlsReport(MigrationTlsReport.READY, null, until);
        }
        try {
            if (pendingRequest == null) {
                pendingKey = newKeyPair();
                pendingRequest = request(pendingKey);
                LOG.info("cell {}: asks the cluster CA for a migration TLS certificate for {} ({})", node, names,
                        until == null ? "none yet" : "the current one expires " + until);
            }
        } catch (GeneralSecurityException | IOException e) {
            LOG.warn("cell {}: cannot make a certificate request for migration TLS: {}", node, e.toString());
            return new MigrationTlsReport(MigrationTlsReport.REQUESTED, null, until);
        }
        // a certificate that still holds stays in use while its successor is on the way
        return new MigrationTlsReport(until != null && clock.instant().isBefore(until) ? MigrationTlsReport.READY
                : MigrationTlsReport.REQUESTED, pendingRequest, until);
    }

    @Override
    public synchronized Ack installMigrationTls(MigrationTlsCertificate issued) {
        if (dir == null) {
            throw SkiffException.conflict("migrationTlsDir", "cell " + node + " has no migrationTlsDir");
        }
        if (pendingKey == null) {
            throw SkiffException.conflict("certificate", "cell " + node + " asked for no certificate");
        }
        X509Certificate cert;
        try {
            X509Certificate ca = parse(issued.caCertificate());
            cert = parse(issued.certificate());
            cert.verify(ca.getPublicKey());
            if (!Arrays.equals(cert.getPublicKey().getEncoded(), pendingKey.getPublic().getEncoded())) {
                throw SkiffException.invalid("certificate", "the certificate is not for the key cell " + node
                        + " asked with");
            }
            UserPrincipal owner = Files.getOwner(dir);
            AtomicFiles.write(dir.resolve(CA_CERT), pem(ca), AtomicFiles.PUBLIC, owner);
            byte[] key = pem(new PemObject("PRIVATE KEY", withPublicKey(pendingKey).getEncoded()));
            for (String name : KEYS) {
                AtomicFiles.write(dir.resolve(name), key, AtomicFiles.PRIVATE, owner);
            }
            for (String name : CERTS) {
                AtomicFiles.write(dir.resolve(name), pem(cert), AtomicFiles.PUBLIC, owner);
            }
        } catch (GeneralSecurityException e) {
            throw SkiffException.invalid("certificate", "not a certificate of the given CA: " + e.getMessage());
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "migration-tls-write", "cell " + node
                    + " cannot write its migration TLS certificates to " + dir + ": " + e.getMessage(), null);
        }
        notAfter = cert.getNotAfter().toInstant();
        pendingKey = null;
        pendingRequest = null;
        LOG.info("cell {}: migration TLS certificate installed in {}, valid until {}", node, dir, notAfter);
        return new Ack(null, "valid until " + notAfter);
    }

    /** @return when the installed certificate expires, or {@code null} when a file is missing or unreadable */
    private static Instant installedUntil(Path dir) {
        try {
            for (String name : List.of(CA_CERT, KEYS.get(0), KEYS.get(1), CERTS.get(1))) {
                if (!Files.isRegularFile(dir.resolve(name))) {
                    return null;
                }
            }
            return parse(Files.readString(dir.resolve(CERTS.get(0)))).getNotAfter().toInstant();
        } catch (IOException | GeneralSecurityException e) {
            LOG.info("no usable migration TLS certificate in {}: {}", dir, e.toString());
            return null;
        }
    }

    /**
     * The key pair as PKCS#8 whose inner EC key carries its curve and public key: the JDK leaves both out, and
     * GnuTLS (QEMU's TLS) then refuses the key ("ASN1 parser: Element was not found").
     */
    static PrivateKeyInfo withPublicKey(KeyPair pair) throws IOException {
        PrivateKeyInfo plain = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
        AlgorithmIdentifier algorithm = plain.getPrivateKeyAlgorithm();
        ECPrivateKey key = ECPrivateKey.getInstance(plain.parsePrivateKey());
        return new PrivateKeyInfo(algorithm, new ECPrivateKey(CURVE_BITS, key.getKey(),
                SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData(),
                algorithm.getParameters()));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE));
        return generator.generateKeyPair();
    }

    private String request(KeyPair key) throws GeneralSecurityException, IOException {
        GeneralName[] alternatives = names.stream().map(n -> new GeneralName(isAddress(n)
                ? GeneralName.iPAddress : GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
        try {
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=" + node.replaceAll("[,+=<>#;\"\\\\]", "_")), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            return new String(pem(csr), StandardCharsets.US_ASCII);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    /** @return whether the name is an IP address literal (an iPAddress name) rather than a host name (dNSName) */
    static boolean isAddress(String name) {
        return IPV4.matcher(name).matches() || name.contains(":");
    }

    private static X509Certificate parse(String pem) throws GeneralSecurityException {
        if (pem == null) {
            throw new GeneralSecurityException("no certificate");
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
