package dev.ramp.gateway.config;

import java.io.ByteArrayOutputStream;

/**
 * The few DER (ASN.1) encodings Ramp writes itself, with the JDK only: wrapping a PKCS#1 or SEC1 key as
 * PKCS#8 ({@link CertifiedKey}) and the demo's self-signed certificate. Stateless.
 */
public final class Der {
    private Der() {}

    /** A tag-length-value element; lengths up to 16 MB. */
    public static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
