package io.skiff.core.internal.tls;

import io.skiff.api.service.SkiffException;
import io.skiff.osgi.support.files.AtomicFiles;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The cluster's certificate authority for migration TLS. On first use it makes an EC P-256 key and a self-signed CA
 * certificate valid for {@link #CA_VALIDITY} and keeps them in its directory ({@code ca-key.pem} mode 600,
 * {@code ca-cert.pem}; each written atomically); later starts load them. It signs cells' PKCS#10 requests: the
 * request's signature must hold, its subject alternative names (IP addresses and DNS names only) are copied, and the
 * certificate is valid for {@link #CELL_VALIDITY} for both server and client authentication (a cell is the target of
 * one migration and the source of another).
 */
public final class ClusterCertificateAuthority {
    static final Duration CA_VALIDITY = Duration.ofDays(3653);
    static final Duration CELL_VALIDITY = Duration.ofDays(365);
    /** Backdating, for hosts whose clocks are a little behind the Core's. */
    private static final Duration SKEW = Duration.ofHours(1);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCertificateAuthority.class);

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private PrivateKey key;
    private X509Certificate certificate;

    /** @param dir where the CA's key and certificate live (made on first use) */
    public ClusterCertificateAuthority(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** @return the CA's certificate (PEM), for the cells to trust */
    public synchronized String certificatePem() {
        return pem(loaded());
    }

    /**
     * @param requestPem a cell's PKCS#10 request (PEM)
     * @param cell the cell that sent it (for the log and the errors)
     * @return the cell's certificate (PEM)
     * @throws SkiffException INVALID (field {@code certificateRequest}) for a request that does not parse, is not
     *     signed by its key, or names something other than IP addresses and DNS names
     */
    public synchronized String sign(String requestPem, String cell) {
        PKCS10CertificationRequest request = parse(requestPem, cell);
        try {
            PublicKey subjectKey = publicKey(request.getSubjectPublicKeyInfo());
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(subjectKey))) {
                throw invalid(cell, "its signature does not hold");
            }
            GeneralNames names = alternativeNames(request, cell);
            X509Certificate ca = loaded();
            Instant now = clock.instant();
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(now.minus(SKEW)), Date.from(now.plus(CELL_VALIDITY)), request.getSubject(), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.getPublicKey()));
            X509Certificate issued = convert(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
            LOG.info("cluster CA: issued a migration TLS certificate to cell {} ({}), valid until {}", cell,
                    request.getSubject(), issued.getNotAfter().toInstant());
            return pem(issued);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException | IOException e) {
            throw invalid(cell, e.getMessage());
        }
    }

    /** The request's key through the JDK's own key factories (EC or RSA; no provider needs registering). */
    private static PublicKey publicKey(SubjectPublicKeyInfo info) throws IOException, GeneralSecurityException {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        String name = X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm) ? "EC"
                : PKCSObjectIdentifiers.rsaEncryption.equals(algorithm) ? "RSA" : null;
        if (name == null) {
            throw new GeneralSecurityException("its key is neither EC nor RSA (" + algorithm + ")");
        }
        return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }

    private static PKCS10CertificationRequest parse(String pem, String cell) {
        if (pem == null || pem.isBlank()) {
            throw invalid(cell, "it is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            if (parser.readObject() instanceof PKCS10CertificationRequest request) {
                return request;
            }
        } catch (IOException e) {
            throw invalid(cell, e.getMessage());
        }
        throw invalid(cell, "it is not a PKCS#10 request");
    }

    /** The request's subject alternative names, which must be IP addresses or DNS names, at least one. */
    private static GeneralNames alternativeNames(PKCS10CertificationRequest request, String cell) {
        Extensions extensions = null;
        for (var attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
        }
        GeneralNames names = extensions == null ? null : GeneralNames.fromExtensions(extensions,
                Extension.subjectAlternativeName);
        if (names == null || names.getNames().length == 0) {
            throw invalid(cell, "it names no address or host name");
        }
        for (GeneralName name : names.getNames()) {
            if (name.getTagNo() != GeneralName.iPAddress && name.getTagNo() != GeneralName.dNSName) {
                throw invalid(cell, "it names " + name + ", which is neither an IP address nor a DNS name");
            }
        }
        return names;
    }

    private static SkiffException invalid(String cell, String why) {
        return SkiffException.invalid("certificateRequest", "the certificate request of cell " + cell
                + " is refused: " + why);
    }

    /** Loads the CA, or makes it on first use. */
    private X509Certificate loaded() {
        if (certificate != null) {
            return certificate;
        }
        Path keyFile = dir.resolve("ca-key.pem");
        Path certFile = dir.resolve("ca-cert.pem");
        try {
            if (Files.isRegularFile(keyFile) && Files.isRegularFile(certFile)) {
                key = readKey(keyFile);
                certificate = readCertificate(certFile);
            } else {
                create(keyFile, certFile);
            }
            return certificate;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "cluster-ca", "the cluster CA in " + dir
                    + " cannot be used: " + e.getMessage(), null);
        }
    }

    private void create(Path keyFile, Path certFile)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Instant now = clock.instant();
        X500Name name = new X500Name("CN=Skiff cluster CA");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(SKEW)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate made = convert(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(pair.getPrivate())));
        Files.createDirectories(dir);
        // the key first: a certificate without its key would be loaded as a CA that cannot sign
        AtomicFiles.write(keyFile, pemBytes(new JcaPKCS8Generator(pair.getPrivate(), null)), AtomicFiles.PRIVATE,
                null);
        AtomicFiles.write(certFile, pemBytes(made), AtomicFiles.PUBLIC, null);
        key = pair.getPrivate();
        certificate = made;
        LOG.info("cluster CA created in {} (valid until {})", dir, made.getNotAfter().toInstant());
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            if (parser.readObject() instanceof PrivateKeyInfo info) {
                return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            }
        }
        throw new GeneralSecurityException(file + " holds no PKCS#8 private key");
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            if (parser.readObject() instanceof X509CertificateHolder holder) {
                return convert(holder);
            }
        }
        throw new GeneralSecurityException(file + " holds no certificate");
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static String pem(Object object) {
        return new String(pemBytes(object), StandardCharsets.US_ASCII);
    }

    private static byte[] pemBytes(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
