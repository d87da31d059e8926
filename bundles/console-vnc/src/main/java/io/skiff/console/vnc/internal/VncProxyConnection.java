package io.skiff.console.vnc.internal;

import io.skiff.api.spi.ConsoleEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.websocket.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One browser console: a TCP connection to the instance's VNC server, logged in by the proxy, relayed byte for
 * byte to the WebSocket once the browser has finished its own (password-less) handshake with the proxy.
 */
final class VncProxyConnection {
    private static final Logger LOG = LoggerFactory.getLogger(VncProxyConnection.class);

    private final Session session;
    private final ConsoleEndpoint endpoint;
    private final BrowserHandshake handshake = new BrowserHandshake();
    private Socket socket;
    private OutputStream toServer;
    private volatile boolean closed;

    VncProxyConnection(Session session, ConsoleEndpoint endpoint) {
        this.session = session;
        this.endpoint = endpoint;
    }

    /** Connects and logs in to the VNC server, then greets the browser. */
    void open(Duration timeout) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new IOException("cannot reach the console server of the instance: " + e.getMessage(), e);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        toServer = socket.getOutputStream();
        RfbServerLogin.login(in, toServer, endpoint.password());
        socket.setSoTimeout(0);
        sendToBrowser(BrowserHandshake.GREETING, BrowserHandshake.GREETING.length);
    }

    synchronized void fromBrowser(byte[] bytes) throws IOException {
        boolean wasDone = handshake.done();
        BrowserHandshake.Step step;
        try {
            step = handshake.feed(bytes);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (step.toBrowser().length > 0) {
            sendToBrowser(step.toBrowser(), step.toBrowser().length);
        }
        if (step.toServer().length > 0) {
            toServer.write(step.toServer());
            toServer.flush();
        }
        if (!wasDone && handshake.done()) {
            Thread reader = new Thread(this::relayFromServer, "skiff-vnc-" + endpoint.instanceId());
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void relayFromServer() {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while (!closed && (n = in.read(buffer)) >= 0) {
                sendToBrowser(buffer, n);
            }
            VncWebSocketEndpoint.close(session, 1000, "the console server closed the connection");
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("instance {}: console relay ended: {}", endpoint.instanceId(), e.toString());
                VncWebSocketEndpoint.close(session, 1001, "the console connection ended");
            }
        }
    }

    private void sendToBrowser(byte[] bytes, int length) throws IOException {
        synchronized (session) {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes, 0, length));
        }
    }

    void close() {
        closed = true;
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }
}
