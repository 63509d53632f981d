package dev.ramp.gateway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A test certificate authority made in the test with BouncyCastle, and the leaf certificates it issues,
 * written as the PEM files an operator would configure. Clients trust the CA through {@link #clientContext()}.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a private key is written: PKCS#8 ({@code BEGIN PRIVATE KEY}) or the algorithm's own (PKCS#1, SEC1). */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    /** The key algorithm of a leaf. */
    public enum KeyType { EC, RSA }

    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificates(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA named {@code CN=name}. */
    public static TestCertificates authority(String name) {
        KeyPair keys = generate(KeyType.EC);
        X500Name subject = new X500Name("CN=" + name);
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), start(), end(),
                    subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCertificates(keys, sign(b, keys));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A leaf for {@code CN=commonName} with the DNS names as subject alternative names, a fresh serial. */
    public Leaf issue(String commonName, KeyType type, String... dnsNames) {
        KeyPair leafKeys = generate(type);
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), start(), end(),
                    new X500Name("CN=" + commonName), leafKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            if (names.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new Leaf(leafKeys, sign(b, keys));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Leaf issue(String commonName, String... dnsNames) {
        return issue(commonName, KeyType.EC, dnsNames);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes this CA's certificate as PEM: the {@code ca-file} that trusts it. */
    public Path writeCertificate(Path file) {
        write(file, pem(certificate));
        return file;
    }

    /** A client TLS context that trusts this CA only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), RANDOM);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate and its key. */
    public record Leaf(KeyPair keys, X509Certificate certificate) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem(KeyFormat format) {
            try {
                if (format == KeyFormat.PKCS8) {
                    return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
                }
                if (keys.getPrivate().getAlgorithm().equals("EC")) {
                    // SEC1 with its curve named, as openssl ecparam -genkey writes it (the JDK's encoding
                    // leaves the curve to the PKCS#8 wrapper).
                    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                    ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                    ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(),
                            info.getPrivateKeyAlgorithm().getParameters());
                    return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
                }
                return pem(keys.getPrivate()); // BouncyCastle writes an RSA key as PKCS#1
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the certificate and a PKCS#8 key in place. */
        public Leaf writeTo(Path cert, Path key) {
            return writeTo(cert, key, KeyFormat.PKCS8);
        }

        public Leaf writeTo(Path cert, Path key, KeyFormat format) {
            write(cert, certificatePem());
            write(key, keyPem(format));
            return this;
        }

        /**
         * Replaces both files the way certbot and cert-manager do: each written beside its target and renamed
         * over it, certificate first.
         */
        public Leaf renameOver(Path cert, Path key) {
            TestCertificates.renameOver(cert, certificatePem());
            TestCertificates.renameOver(key, keyPem(KeyFormat.PKCS8));
            return this;
        }
    }

    /** Writes {@code content} to a temporary file beside {@code target} and renames it over the target. */
    public static void renameOver(Path target, String content) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".new-", ".pem");
            Files.writeString(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer) {
        try {
            String alg = issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(alg).build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair generate(KeyType type) {
        try {
            if (type == KeyType.RSA) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static Date start() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date end() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }
}
