package io.skiff.console.vnc.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's side of the RFB handshake towards the VNC server: version 3.8, then VNC authentication with the
 * instance's password (or "None" when the server asks for none). After {@link #login} the stream stands where
 * the client's ClientInit is expected, so the browser's bytes can be relayed from there on.
 */
final class RfbServerLogin {
    static final int SECURITY_NONE = 1;
    static final int SECURITY_VNC = 2;

    private RfbServerLogin() {
    }

    /** @throws IOException with a message fit for the user when the server refuses or speaks no RFB */
    static void login(InputStream in, OutputStream out, String password) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] version = new byte[12];
        data.readFully(version);
        String v = new String(version, StandardCharsets.US_ASCII);
        if (!v.startsWith("RFB 003.")) {
            throw new IOException("the console server does not speak RFB");
        }
        int minor = Integer.parseInt(v.substring(8, 11));
        if (minor < 7) {
            throw new IOException("the console server speaks RFB 3." + minor + "; 3.7 or later is needed");
        }
        out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int count = data.readUnsignedByte();
        if (count == 0) {
            throw new IOException("the console server refused the connection: " + reason(data));
        }
        boolean none = false;
        boolean vnc = false;
        for (int i = 0; i < count; i++) {
            int type = data.readUnsignedByte();
            none |= type == SECURITY_NONE;
            vnc |= type == SECURITY_VNC;
        }
        if (vnc && password != null) {
            out.write(SECURITY_VNC);
            out.flush();
            byte[] challenge = new byte[16];
            data.readFully(challenge);
            out.write(VncAuth.response(password, challenge));
            out.flush();
        } else if (none) {
            out.write(SECURITY_NONE);
            out.flush();
        } else {
            throw new IOException("the console server offers no security type the proxy can answer");
        }
        int result = data.readInt();
        if (result != 0) {
            throw new IOException("the console server refused the login: " + (minor >= 8 ? reason(data) : "failed"));
        }
    }

    private static String reason(DataInputStream data) throws IOException {
        int length = data.readInt();
        if (length < 0 || length > 4096) {
            return "(no reason)";
        }
        byte[] text = new byte[length];
        data.readFully(text);
        return new String(text, StandardCharsets.UTF_8);
    }
}
