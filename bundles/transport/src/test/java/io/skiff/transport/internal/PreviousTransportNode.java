package io.skiff.transport.internal;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.util.NameCache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node of the previous transport as the wire sees it (main before JGroups' {@code MessageDispatcher}): a plain
 * {@link Receiver} on the same stack and key; every message a plain JSON envelope; a request answered with a plain
 * {@code reply}/{@code error} envelope whose {@code corr} is the request's {@code id}, its own requests correlated the
 * same way; JGroups headers ignored. It records whether each message it got carried the dispatcher's header.
 */
final class PreviousTransportNode implements AutoCloseable {
    /** A message as this node received it. */
    record Received(String from, Envelope envelope, boolean correlatorHeader) {
    }

    private final ObjectMapper mapper = TransportComponent.newObjectMapper();
    private final JChannel channel;
    private final Map<String, Function<JsonNode, Envelope.ErrorBody>> failing = new ConcurrentHashMap<>();
    private final Map<String, Function<JsonNode, Object>> answering = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Envelope>> pending = new ConcurrentHashMap<>();
    final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Received> requests = new LinkedBlockingQueue<>();
    final BlockingQueue<Received> replies = new LinkedBlockingQueue<>();

    PreviousTransportNode(TestNodes nodes, String name) throws Exception {
        TransportSettings settings = nodes.settings(name, nodes.keyFile());
        channel = new JChannel(ProtocolStackFactory.build(settings, ClusterKeyFile.loadOrCreate(nodes.keyFile())));
        ProtocolStackFactory.disableDiagnostics(channel);
        channel.name(name);
        channel.setDiscardOwnMessages(false);
        channel.receiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                received(msg);
            }
        });
        channel.connect(nodes.domain());
    }

    /** Answers requests of {@code type} with {@code handler}'s value. */
    void answer(String type, Function<JsonNode, Object> handler) {
        answering.put(type, handler);
    }

    /** Answers requests of {@code type} with the error {@code handler} gives. */
    void fail(String type, Function<JsonNode, Envelope.ErrorBody> handler) {
        failing.put(type, handler);
    }

    /** Sends a request the way the previous transport did; the future gets the plain reply envelope. */
    CompletableFuture<Envelope> request(String node, String type, Object body) throws Exception {
        Envelope request = Envelope.create(type, null, Envelope.Kind.REQUEST, mapper.valueToTree(body));
        CompletableFuture<Envelope> reply = new CompletableFuture<>();
        pending.put(request.id(), reply);
        send(address(node), request);
        return reply;
    }

    /** Sends an event to {@code node}, or to every member when it is {@code null}. */
    void event(String node, String type, Object body) throws Exception {
        send(node == null ? null : address(node), Envelope.create(type, null, Envelope.Kind.EVENT,
                mapper.valueToTree(body)));
    }

    <T> T body(Envelope envelope, Class<T> type) {
        return ReceivedMessage.mapBody(mapper, envelope.body(), type);
    }

    private void received(Message msg) {
        Envelope envelope;
        try {
            envelope = mapper.readValue(msg.getArray(), msg.getOffset(), msg.getLength(), Envelope.class);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        Received received = new Received(NameCache.get(msg.src()), envelope, PlainMessageSplitter.correlated(msg));
        switch (envelope.kind()) {
            case EVENT -> events.add(received);
            case REQUEST -> {
                requests.add(received);
                Envelope reply;
                if (answering.containsKey(envelope.type())) {
                    reply = Envelope.create(envelope.type(), envelope.id(), Envelope.Kind.REPLY,
                            mapper.valueToTree(answering.get(envelope.type()).apply(envelope.body())));
                } else if (failing.containsKey(envelope.type())) {
                    reply = Envelope.create(envelope.type(), envelope.id(), Envelope.Kind.ERROR,
                            mapper.valueToTree(failing.get(envelope.type()).apply(envelope.body())));
                } else {
                    reply = Envelope.create(envelope.type(), envelope.id(), Envelope.Kind.ERROR, mapper.valueToTree(
                            new Envelope.ErrorBody("not-ready", "no handler", "UNAVAILABLE", null)));
                }
                send(msg.src(), reply);
            }
            case REPLY, ERROR -> {
                replies.add(received);
                CompletableFuture<Envelope> waiting = pending.remove(envelope.corr());
                if (waiting != null) {
                    waiting.complete(envelope);
                }
            }
        }
    }

    private Address address(String node) {
        return channel.getView().getMembers().stream().filter(a -> node.equals(NameCache.get(a))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + node));
    }

    private void send(Address to, Envelope envelope) {
        try {
            channel.send(new BytesMessage(to, mapper.writeValueAsBytes(envelope)));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
