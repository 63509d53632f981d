package dev.ramp.gateway.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM files, checked to belong together. Keys may be
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}); the last two are rewrapped as PKCS#8 here, so nothing beyond the JDK is
 * needed. Encrypted keys are refused: the gateway has nowhere to keep a passphrase.
 *
 * <p>Config validation and the certificate reloader both read files through {@link #read(Path, Path)}, so
 * {@code validate} refuses exactly what a running listener would.
 *
 * @param chain the leaf certificate first, then its intermediates, as the file lists them
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** OID id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY = hex("06072a8648ce3d0201");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    public CertifiedKey {
        chain = List.copyOf(chain);
    }

    /** Why a certificate or key file cannot be used; the message names the file and what was expected. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unusable(String message) {
            super(message);
        }
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Reads both files and checks that the key signs what the leaf certificate's public key verifies.
     *
     * @throws Unusable naming the file and what is wrong: missing, unreadable, not PEM, encrypted, mismatched
     */
    public static CertifiedKey read(Path certFile, Path keyFile) throws Unusable {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new Unusable(keyFile + ": the key does not match the certificate in " + certFile
                               + " (expected: the private key of " + chain.get(0).getSubjectX500Principal() + ")");
        }
        return new CertifiedKey(key, chain);
    }

    /** Every {@code CERTIFICATE} block of the file, in order; at least one. */
    static List<X509Certificate> certificates(Path file) throws Unusable {
        String text = text(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(base64(file, m.group(2)))));
                }
            }
        } catch (CertificateException e) {
            throw new Unusable(file + ": not a valid certificate: " + e.getMessage()
                               + " (expected: a PEM certificate chain, leaf first)");
        }
        if (chain.isEmpty()) {
            throw new Unusable(file + ": no certificate found (expected: a PEM certificate chain, "
                               + "-----BEGIN CERTIFICATE----- blocks, leaf first)");
        }
        return chain;
    }

    /** The file's one private key block. */
    static PrivateKey privateKey(Path file) throws Unusable {
        Matcher m = BLOCK.matcher(text(file));
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, base64(file, m.group(2)));
                case "RSA PRIVATE KEY":
                    return pkcs8(file, Der.tlv(0x30, Der.concat(hex("020100"), RSA_ALGORITHM,
                            Der.tlv(0x04, base64(file, m.group(2))))));
                case "EC PRIVATE KEY":
                    byte[] sec1 = base64(file, m.group(2));
                    return pkcs8(file, Der.tlv(0x30, Der.concat(hex("020100"),
                            Der.tlv(0x30, Der.concat(EC_PUBLIC_KEY, curveOf(file, sec1))), Der.tlv(0x04, sec1))));
                case "ENCRYPTED PRIVATE KEY":
                    throw new Unusable(file + ": the key is encrypted (expected: an unencrypted PEM key; "
                                       + "protect it with file permissions, e.g. openssl pkey -in enc.pem -out key.pem)");
                default:
                    if (type.contains("PRIVATE KEY")) {
                        throw new Unusable(file + ": unsupported key type \"" + type + "\" (expected: PRIVATE KEY,"
                                           + " RSA PRIVATE KEY or EC PRIVATE KEY)");
                    }
                    // EC PARAMETERS and the like, as openssl ecparam writes them: not the key
            }
        }
        throw new Unusable(file + ": no private key found (expected: a PEM key, -----BEGIN PRIVATE KEY----- "
                           + "(PKCS#8), RSA PRIVATE KEY (PKCS#1) or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws Unusable {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new Unusable(file + ": not a valid private key (expected: an RSA, EC or EdDSA key in PEM)");
    }

    /** Whether the certificate's public key verifies a signature made with {@code key}. */
    private static boolean matches(PrivateKey key, X509Certificate cert) throws Unusable {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] probe = "ramp certificate and key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = signature(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signed = signer.sign();
            Signature verifier = signature(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signed);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        return s;
    }

    private static String text(Path file) throws Unusable {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new Unusable(file + ": file not found");
        } catch (IOException e) {
            throw new Unusable(file + ": cannot read: " + e.getMessage());
        }
    }

    private static byte[] base64(Path file, String body) throws Unusable {
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new Unusable(file + ": bad base64 in a PEM block (expected: an unmodified PEM file)");
        }
    }

    /** The named-curve OID (the whole TLV) from a SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curveOf(Path file, byte[] sec1) throws Unusable {
        // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING, [0] parameters, [1] publicKey }
        try {
            int[] seq = header(sec1, 0);
            int at = seq[0];
            int end = seq[0] + seq[1];
            while (at < end) {
                int[] h = header(sec1, at);
                if ((sec1[at] & 0xff) == 0xa0) {
                    int[] oid = header(sec1, h[0]);
                    if (sec1[h[0]] != 0x06) {
                        break;
                    }
                    byte[] tlv = new byte[oid[0] + oid[1] - h[0]];
                    System.arraycopy(sec1, h[0], tlv, 0, tlv.length);
                    return tlv;
                }
                at = h[0] + h[1];
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            // falls through to the error below
        }
        throw new Unusable(file + ": EC PRIVATE KEY without a named curve (expected: a key from "
                           + "openssl ecparam -name prime256v1 -genkey, or a PKCS#8 key)");
    }

    /** {content start, content length} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        int len = der[at + 1] & 0xff;
        int start = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        return new int[] {start, len};
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
