package dev.ramp.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Raw TLS handshakes against a listener: which certificate it serves, and how it answers a ClientHello. */
public final class TlsProbe {
    private TlsProbe() {}

    /** The leaf certificate served on a new connection that names {@code sniHost} (null: no SNI). */
    public static X509Certificate served(SSLContext client, int port, String sniHost) {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(sniHost == null ? List.of() : List.of(new SNIHostName(sniHost)));
            s.setSSLParameters(p);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a hand-made ClientHello offering only {@code version} (0x0302 TLS 1.1, 0x0303 TLS 1.2), which no
     * JDK client would send for 1.1, and returns the first bytes of the answer (empty when the server closed).
     */
    public static byte[] answerToHello(int port, int version) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(clientHello(version));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[11];
            int n = 0;
            try {
                while (n < head.length) {
                    int r = in.read(head, n, head.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
            } catch (java.net.SocketException e) {
                // reset: no answer
            }
            return java.util.Arrays.copyOf(head, n);
        }
    }

    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        body.writeBytes(new byte[32]); // random
        body.write(0); // no session id
        int[] suites = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, // TLS 1.2 ECDHE + AEAD
            0xc009, 0xc013, 0xc00a, 0xc014, 0x002f, 0x0035}; // TLS 1.0/1.1 CBC suites
        u16(body, suites.length * 2);
        for (int c : suites) {
            u16(body, c);
        }
        body.write(1);
        body.write(0); // null compression
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 0x000a); // supported_groups: x25519, secp256r1
        u16(ext, 6);
        u16(ext, 4);
        u16(ext, 0x001d);
        u16(ext, 0x0017);
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        int[] sigs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0201, 0x0203};
        u16(ext, 0x000d); // signature_algorithms
        u16(ext, sigs.length * 2 + 2);
        u16(ext, sigs.length * 2);
        for (int a : sigs) {
            u16(ext, a);
        }
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16); // handshake
        u16(record, 0x0301);
        u16(record, body.size() + 4);
        record.write(0x01); // client_hello
        record.write(0);
        u16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }
}
