package dev.ramp.gateway.demo;

import dev.ramp.gateway.config.Der;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The certificate of {@code demo --tls}: a self-signed ECDSA P-256 certificate for {@code localhost} and
 * {@code 127.0.0.1}, valid for 30 days, written as PEM with its PKCS#8 key. Made with the JDK alone (the
 * X.509 structure is encoded here, DER by hand), so the demo needs no certificate library in the jar. Clients
 * trust it by naming the file itself, e.g. {@code curl --cacert cert.pem}.
 */
public final class SelfSignedCertificate {
    private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final byte[] SUBJECT_ALT_NAME = {0x06, 0x03, 0x55, 0x1d, 0x11};
    private static final byte[] BASIC_CONSTRAINTS = {0x06, 0x03, 0x55, 0x1d, 0x13};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {}

    /** Makes a fresh key and certificate for {@code localhost} and writes them to {@code cert} and {@code key}. */
    public static void write(Path cert, Path key) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            Files.writeString(cert, pem("CERTIFICATE", certificate(keys, "localhost", Instant.now())));
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the demo certificate: " + e.getMessage(), e);
        }
    }

    /** The DER of a v3 certificate for {@code host} (and 127.0.0.1), signed by its own key. */
    static byte[] certificate(KeyPair keys, String host, Instant now) throws GeneralSecurityException {
        byte[] algorithm = Der.tlv(0x30, ECDSA_WITH_SHA256);
        byte[] cn = Der.tlv(0x0c, host.getBytes(StandardCharsets.UTF_8));
        byte[] name = Der.tlv(0x30, Der.tlv(0x31, Der.tlv(0x30, Der.concat(COMMON_NAME, cn))));
        byte[] validity = Der.tlv(0x30, Der.concat(
                Der.tlv(0x17, UTC_TIME.format(now.minus(Duration.ofHours(1))).getBytes(StandardCharsets.US_ASCII)),
                Der.tlv(0x17, UTC_TIME.format(now.plus(Duration.ofDays(30))).getBytes(StandardCharsets.US_ASCII))));
        byte[] altNames = Der.tlv(0x30, Der.concat(Der.tlv(0x82, host.getBytes(StandardCharsets.US_ASCII)),
                Der.tlv(0x87, new byte[] {127, 0, 0, 1})));
        byte[] extensions = Der.tlv(0xa3, Der.tlv(0x30, Der.concat(
                Der.tlv(0x30, Der.concat(BASIC_CONSTRAINTS, Der.tlv(0x04, Der.tlv(0x30, new byte[0])))),
                Der.tlv(0x30, Der.concat(SUBJECT_ALT_NAME, Der.tlv(0x04, altNames))))));
        byte[] serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray();
        byte[] tbs = Der.tlv(0x30, Der.concat(
                Der.tlv(0xa0, Der.tlv(0x02, new byte[] {2})), // v3
                Der.tlv(0x02, serial), algorithm, name, validity, name,
                keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                extensions));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        return Der.tlv(0x30, Der.concat(tbs, algorithm, Der.tlv(0x03, Der.concat(new byte[] {0}, signer.sign()))));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
               + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }

}
