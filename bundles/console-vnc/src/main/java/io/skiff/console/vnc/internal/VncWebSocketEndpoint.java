package io.skiff.console.vnc.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.websocket.CloseReason;
import javax.websocket.OnClose;
import javax.websocket.OnError;
import javax.websocket.OnMessage;
import javax.websocket.OnOpen;
import javax.websocket.Session;
import javax.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket side of the console proxy at {@code /console/vnc?token=...}, registered through Pax Web's
 * WebSocket whiteboard (one instance serves every connection; per-connection state lives in
 * {@link VncProxyConnection}). The token is redeemed before anything else; refusals close the socket with a
 * 44xx code and a reason the portal shows.
 */
@ServerEndpoint(VncConsoleProvider.PATH)
@Component(service = Object.class, property = "org.ops4j.pax.web.http.whiteboard.websocket=true")
public class VncWebSocketEndpoint {
    static final int REFUSED = 4403;
    static final int NOT_RUNNING = 4409;
    static final int SERVER_FAILED = 4502;
    private static final Logger LOG = LoggerFactory.getLogger(VncWebSocketEndpoint.class);

    private final VncConsoleProvider provider;
    private final Map<String, VncProxyConnection> connections = new ConcurrentHashMap<>();

    @Activate
    public VncWebSocketEndpoint(@Reference VncConsoleProvider provider) {
        this.provider = provider;
    }

    @Deactivate
    void deactivate() {
        connections.values().forEach(VncProxyConnection::close);
        connections.clear();
    }

    @OnOpen
    public void onOpen(Session session) {
        session.setMaxIdleTimeout(0);
        session.setMaxBinaryMessageBufferSize(1 << 20);
        String token = first(session.getRequestParameterMap().get("token"));
        String instance = first(session.getRequestParameterMap().get("instance"));
        ConsoleTokens.Grant grant;
        try {
            grant = provider.redeem(token, instance);
        } catch (ConsoleTokens.Refused e) {
            LOG.info("console connection refused: {}", e.getMessage());
            close(session, REFUSED, e.getMessage());
            return;
        }
        ConsoleEndpoint endpoint;
        try {
            endpoint = provider.endpoint(grant.instanceId());
        } catch (SkiffException e) {
            LOG.info("instance {}: console for {} refused: {}", grant.instanceId(), grant.user(), e.getMessage());
            close(session, e.kind() == SkiffException.Kind.CONFLICT ? NOT_RUNNING : SERVER_FAILED, e.getMessage());
            return;
        }
        VncProxyConnection connection = new VncProxyConnection(session, endpoint);
        try {
            connection.open(provider.connectTimeout());
        } catch (IOException e) {
            LOG.warn("instance {}: console for {} failed: {}", grant.instanceId(), grant.user(), e.getMessage());
            connection.close();
            close(session, SERVER_FAILED, e.getMessage());
            return;
        }
        connections.put(session.getId(), connection);
        LOG.info("instance {}: console opened by {}", grant.instanceId(), grant.user());
    }

    @OnMessage
    public void onMessage(Session session, ByteBuffer data) {
        VncProxyConnection connection = connections.get(session.getId());
        if (connection == null) {
            return;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        try {
            connection.fromBrowser(bytes);
        } catch (IOException | RuntimeException e) {
            connections.remove(session.getId());
            connection.close();
            close(session, SERVER_FAILED, e.getMessage());
        }
    }

    @OnClose
    public void onClose(Session session) {
        VncProxyConnection connection = connections.remove(session.getId());
        if (connection != null) {
            connection.close();
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        LOG.debug("console WebSocket {} failed: {}", session.getId(), error.toString());
        onClose(session);
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Close reasons must fit in 123 bytes. */
    static void close(Session session, int code, String reason) {
        String text = reason == null ? "" : reason;
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 120) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), text));
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing console WebSocket {}: {}", session.getId(), e.toString());
        }
    }
}
