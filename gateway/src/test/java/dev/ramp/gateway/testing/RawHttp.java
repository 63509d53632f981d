package dev.ramp.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking raw-socket HTTP/1.1 exchange, for requests ordinary clients refuse to send. */
public final class RawHttp {
    private RawHttp() {}

    /** Sends {@code request} as is and returns everything read until the server closes or the timeout. */
    public static String exchange(int port, String request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    out.write(buf, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // keep-alive: the server did not close; return what we have
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
