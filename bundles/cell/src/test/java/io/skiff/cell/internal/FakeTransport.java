package io.skiff.cell.internal;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.Message;
import io.skiff.api.transport.MessageHandler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ClusterTransport} for unit tests: a request is delivered straight to the handler subscribed for its type
 * (the body object itself, no JSON); published events are kept.
 */
class FakeTransport implements ClusterTransport {
    record Published(String type, Object body) {
    }

    final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    /** What {@link #members()} answers: none unless a test sets them. */
    volatile List<ClusterMember> members = List.of();
    private final String node;

    FakeTransport(String node) {
        this.node = node;
    }

    /** Delivers a request as the Core would send it; the handler's exception comes back as it was thrown. */
    <R> R request(String type, Object body, Class<R> replyType) throws Exception {
        MessageHandler handler = handlers.get(type);
        if (handler == null) {
            throw new IllegalStateException("no handler for " + type);
        }
        return replyType.cast(handler.handle(new Message() {
            @Override
            public int version() {
                return io.skiff.api.Skiff.MESSAGE_VERSION;
            }

            @Override
            public String type() {
                return type;
            }

            @Override
            public String from() {
                return "core";
            }

            @Override
            public <T> T body(Class<T> cls) {
                return cls.cast(body);
            }
        }));
    }

    @Override
    public String domain() {
        return "skiff-test";
    }

    @Override
    public String localNode() {
        return node;
    }

    @Override
    public List<ClusterMember> members() {
        return members;
    }

    @Override
    public void publish(String type, Object body) {
        published.add(new Published(type, body));
    }

    @Override
    public void send(String node, String type, Object body) {
    }

    @Override
    public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType,
                                            Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("cells do not ask"));
    }

    @Override
    public Registration subscribe(String type, MessageHandler handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type);
        }
        return () -> handlers.remove(type, handler);
    }

    @Override
    public Registration addMembershipListener(MembershipListener listener) {
        return () -> { };
    }
}
