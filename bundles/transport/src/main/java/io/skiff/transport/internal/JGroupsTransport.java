package io.skiff.transport.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.SecretKey;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.MessageHandler;
import io.skiff.api.transport.RemoteException;
import io.skiff.api.transport.TransportException;

/**
 * {@link ClusterTransport} over one JGroups channel: the domain is the JGroups cluster, a node is a logical name in
 * it. Every message is a JSON {@link Envelope} in a {@link BytesMessage}. Messages to this node go through JGroups'
 * loopback like any other, so Core and Cell in one JVM talk exactly as they would across hosts.
 *
 * <p>Threads: JGroups' receiver thread only decodes the envelope. Handlers run on the transport's pool: the events of
 * one sender one after the other in delivery order, requests concurrently, so a slow request handler delays neither
 * the channel nor other messages. Requests wait on nothing: a reply completes the caller's future through a
 * correlation map, a scheduler fails it at its time-out, a view change fails the requests to a node that left.
 */
public final class JGroupsTransport implements ClusterTransport, AutoCloseable {
    /** The error code of a request that reached a node with no handler for its type (yet). */
    static final String NOT_READY = "not-ready";
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsTransport.class);
    private static final int MAX_HANDLER_THREADS = 200;

    private final TransportSettings settings;
    private final ObjectMapper mapper;
    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final SerialExecutor membershipQueue;
    private final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();
    private final Map<String, SerialExecutor> eventQueues = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile JChannel channel;
    private volatile Membership membership = Membership.EMPTY;

    /** A request waiting for its reply. */
    private record PendingRequest(String node, String type, Class<?> replyType, CompletableFuture<Object> future) {
    }

    /** The current view, with the node names resolved. */
    private record Membership(List<Address> addresses, Map<String, Address> byName) {
        static final Membership EMPTY = new Membership(List.of(), Map.of());
    }

    public JGroupsTransport(TransportSettings settings, ObjectMapper mapper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        String prefix = "skiff-transport-" + settings.nodeName();
        // grows with the handlers in flight instead of queueing: a handler that waits on another request cannot
        // starve the thread that would complete it; past the bound, the JGroups thread runs the task (back-pressure)
        this.pool = new ThreadPoolExecutor(0, MAX_HANDLER_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads(prefix), new ThreadPoolExecutor.CallerRunsPolicy());
        this.timer = new ScheduledThreadPoolExecutor(1, threads(prefix + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.membershipQueue = new SerialExecutor(pool);
    }

    /**
     * Reads (or creates) the cluster key, builds the stack and joins the domain. Returns once this node is a member:
     * the first node of a domain after the join time-out (about a second), the others when the coordinator let them in.
     */
    public synchronized void start() throws Exception {
        if (channel != null || closed.get()) {
            throw new IllegalStateException("transport already started or closed");
        }
        SecretKey key = ClusterKeyFile.loadOrCreate(settings.keyFile());
        JChannel ch = new JChannel(ProtocolStackFactory.build(settings, key));
        try {
            ProtocolStackFactory.disableDiagnostics(ch);
            ch.name(settings.nodeName());
            ch.setDiscardOwnMessages(false);
            ch.receiver(new ChannelReceiver());
            channel = ch;
            ch.connect(settings.domain());
        } catch (Exception ex) {
            channel = null;
            ch.close();
            shutdownThreads();
            throw ex;
        }
        LOG.info("node {} joined domain {} at {} ({} discovery); members {}", settings.nodeName(), settings.domain(),
                physicalAddress(ch.address()), settings.discovery().name().toLowerCase(), names(membership.addresses()));
    }

    /** Leaves the domain, fails the requests still waiting and stops the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        JChannel ch = channel;
        if (ch != null) {
            ch.close();
        }
        TransportException ex = new TransportException("transport of node " + settings.nodeName() + " closed");
        for (String id : List.copyOf(pending.keySet())) {
            PendingRequest p = pending.remove(id);
            if (p != null) {
                p.future().completeExceptionally(ex);
            }
        }
        shutdownThreads();
        LOG.info("node {} left domain {}", settings.nodeName(), settings.domain());
    }

    @Override
    public String domain() {
        return settings.domain();
    }

    @Override
    public String localNode() {
        return settings.nodeName();
    }

    @Override
    public List<ClusterMember> members() {
        return members(membership.addresses());
    }

    @Override
    public void publish(String type, Object body) {
        send((Address) null, newEnvelope(type, null, Envelope.Kind.EVENT, toTree(body)));
    }

    @Override
    public void send(String node, String type, Object body) {
        send(resolve(node), newEnvelope(type, null, Envelope.Kind.EVENT, toTree(body)));
    }

    @Override
    public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType,
                                            Duration timeout) {
        Objects.requireNonNull(replyType, "replyType");
        CompletableFuture<R> result = new CompletableFuture<>();
        Address target;
        Envelope envelope;
        try {
            target = resolve(node);
            envelope = newEnvelope(type, null, Envelope.Kind.REQUEST, toTree(body));
        } catch (RuntimeException ex) {
            result.completeExceptionally(ex);
            return result;
        }
        Duration wait = timeout == null || timeout.isNegative() || timeout.isZero() ? settings.requestTimeout() : timeout;
        String id = envelope.id();
        @SuppressWarnings("unchecked")
        CompletableFuture<Object> untyped = (CompletableFuture<Object>) result;
        pending.put(id, new PendingRequest(node, type, replyType, untyped));
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> fail(id, new TransportException(
                    "request " + type + " to node " + node + " timed out after " + wait.toMillis() + " ms")),
                    wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            fail(id, closedException());
            return result;
        }
        // also when the caller cancels the future
        result.whenComplete((r, e) -> {
            expiry.cancel(false);
            pending.remove(id);
        });
        try {
            send(target, envelope);
        } catch (RuntimeException ex) {
            fail(id, ex instanceof TransportException ? ex : new TransportException(ex.getMessage(), ex));
        }
        return result;
    }

    @Override
    public Registration subscribe(String type, MessageHandler handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("a handler for message type " + type + " is already registered");
        }
        return () -> handlers.remove(type, handler);
    }

    @Override
    public Registration addMembershipListener(MembershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Sends an envelope as it is; package-private so that tests can send other versions. */
    void send(Address destination, Envelope envelope) {
        JChannel ch = channel;
        if (ch == null || closed.get()) {
            throw closedException();
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(envelope);
        } catch (Exception ex) {
            throw new TransportException("cannot write " + envelope.type() + " as JSON: " + ex.getMessage(), ex);
        }
        try {
            ch.send(new BytesMessage(destination, bytes));
        } catch (Exception ex) {
            throw new TransportException("cannot send " + envelope.type() + " to "
                    + (destination == null ? "domain " + settings.domain() : "node " + nameOf(destination))
                    + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the address of the named member; a {@link TransportException} when no member has that name */
    Address resolve(String node) {
        Objects.requireNonNull(node, "node");
        Address address = membership.byName().get(node);
        if (address == null) {
            throw new TransportException("no node " + node + " in domain " + settings.domain());
        }
        return address;
    }

    private Envelope newEnvelope(String type, String corr, Envelope.Kind kind, JsonNode body) {
        Objects.requireNonNull(type, "type");
        return new Envelope(Skiff.MESSAGE_VERSION, type, UUID.randomUUID().toString(), corr, kind, body);
    }

    private JsonNode toTree(Object body) {
        try {
            return body == null ? null : mapper.valueToTree(body);
        } catch (IllegalArgumentException ex) {
            throw new TransportException("cannot map " + body.getClass().getSimpleName() + " to JSON: " + ex.getMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- receiving

    private void received(org.jgroups.Message msg) {
        Address src = msg.src();
        String from = nameOf(src);
        Envelope envelope;
        try {
            envelope = mapper.readValue(msg.getArray(), msg.getOffset(), msg.getLength(), Envelope.class);
        } catch (Exception ex) {
            LOG.warn("dropped unreadable message from {}: {}", from, ex.getMessage());
            return;
        }
        if (envelope.v() != Skiff.MESSAGE_VERSION && envelope.v() != Skiff.MESSAGE_VERSION - 1) {
            LOG.warn("dropped {} {} from {}: message version {} (this node accepts {} and {})", envelope.kind(),
                    envelope.type(), from, envelope.v(), Skiff.MESSAGE_VERSION - 1, Skiff.MESSAGE_VERSION);
            return;
        }
        if (envelope.type() == null || envelope.kind() == null) {
            LOG.warn("dropped message {} from {}: no type or kind", envelope.id(), from);
            return;
        }
        try {
            switch (envelope.kind()) {
                case EVENT -> eventQueues.computeIfAbsent(from, k -> new SerialExecutor(pool))
                        .execute(() -> handleEvent(envelope, from));
                case REQUEST -> pool.execute(() -> handleRequest(envelope, src, from));
                case REPLY, ERROR -> pool.execute(() -> handleReply(envelope, from));
            }
        } catch (RejectedExecutionException ex) {
            LOG.debug("dropped {} {} from {}: transport closing", envelope.kind(), envelope.type(), from);
        }
    }

    private void handleEvent(Envelope envelope, String from) {
        MessageHandler handler = handlers.get(envelope.type());
        if (handler == null) {
            LOG.debug("no handler for event {} from {}; dropped", envelope.type(), from);
            return;
        }
        try {
            handler.handle(new ReceivedMessage(envelope, from, mapper));
        } catch (Exception ex) {
            LOG.warn("handler of event {} from {} failed: {}", envelope.type(), from, ex.toString(), ex);
        }
    }

    private void handleRequest(Envelope request, Address src, String from) {
        MessageHandler handler = handlers.get(request.type());
        if (handler == null) {
            // the node is up but the component that answers this type is not (yet): callers retry a NOT_READY
            reply(request, src, from, null, new SkiffException(SkiffException.Kind.UNAVAILABLE, NOT_READY,
                    "node " + settings.nodeName() + " has no handler for " + request.type() + " (not ready)", null),
                    NOT_READY);
            return;
        }
        Object result;
        try {
            result = handler.handle(new ReceivedMessage(request, from, mapper));
        } catch (Exception ex) {
            reply(request, src, from, null, ex, null);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, ex) -> reply(request, src, from, value, ex, null));
        } else {
            reply(request, src, from, result, null, null);
        }
    }

    private void reply(Envelope request, Address src, String from, Object value, Throwable failure, String code) {
        Envelope answer;
        if (failure == null) {
            try {
                answer = newEnvelope(request.type(), request.id(), Envelope.Kind.REPLY, toTree(value));
            } catch (RuntimeException ex) {
                failure = ex;
                answer = null;
            }
        } else {
            answer = null;
        }
        if (answer == null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String errorCode = code != null ? code
                    : cause instanceof SkiffException se ? se.code() : "handler-failed";
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            String kind = cause instanceof SkiffException se ? se.kind().name() : SkiffException.Kind.INTERNAL.name();
            String field = cause instanceof SkiffException se ? se.field() : null;
            if (!NOT_READY.equals(errorCode)) {
                LOG.warn("request {} from {} failed: {}", request.type(), from, message);
            } else {
                LOG.debug("request {} from {}: {}", request.type(), from, message);
            }
            answer = newEnvelope(request.type(), request.id(), Envelope.Kind.ERROR,
                    mapper.valueToTree(new Envelope.ErrorBody(errorCode, message, kind, field)));
        }
        try {
            send(src, answer);
        } catch (TransportException ex) {
            LOG.warn("cannot answer request {} from {}: {}", request.type(), from, ex.getMessage());
        }
    }

    private void handleReply(Envelope reply, String from) {
        if (reply.corr() == null) {
            LOG.warn("dropped {} {} from {}: no correlation id", reply.kind(), reply.type(), from);
            return;
        }
        PendingRequest p = pending.remove(reply.corr());
        if (p == null) {
            LOG.debug("late or unknown reply {} from {} (request {})", reply.type(), from, reply.corr());
            return;
        }
        if (reply.kind() == Envelope.Kind.ERROR) {
            Envelope.ErrorBody error;
            try {
                error = ReceivedMessage.mapBody(mapper, reply.body(), Envelope.ErrorBody.class);
            } catch (IllegalArgumentException ex) {
                error = null;
            }
            p.future().completeExceptionally(error == null
                    ? new RemoteException(from, reply.type(), SkiffException.Kind.INTERNAL, "unknown", null,
                            "unknown error")
                    : new RemoteException(from, reply.type(), kindOf(error), error.code(), error.field(),
                            error.message()));
            return;
        }
        try {
            p.future().complete(ReceivedMessage.mapBody(mapper, reply.body(), p.replyType()));
        } catch (IllegalArgumentException ex) {
            p.future().completeExceptionally(new TransportException(
                    "unreadable reply to " + reply.type() + " from " + from + ": " + ex.getMessage(), ex));
        }
    }

    /** The kind an error reply names; older nodes name none, and their "no-handler" means not ready yet. */
    private static SkiffException.Kind kindOf(Envelope.ErrorBody error) {
        if (error.kind() != null) {
            try {
                return SkiffException.Kind.valueOf(error.kind());
            } catch (IllegalArgumentException unknown) {
                return SkiffException.Kind.INTERNAL;
            }
        }
        return "no-handler".equals(error.code()) ? SkiffException.Kind.UNAVAILABLE : SkiffException.Kind.INTERNAL;
    }

    /** Fails a pending request, on the pool so that the caller's continuations never run on the timer thread. */
    private void fail(String id, RuntimeException ex) {
        PendingRequest p = pending.remove(id);
        if (p == null) {
            return;
        }
        try {
            pool.execute(() -> p.future().completeExceptionally(ex));
        } catch (RejectedExecutionException rejected) {
            p.future().completeExceptionally(ex);
        }
    }

    // ---------------------------------------------------------------- membership

    private void viewAccepted(View view) {
        List<Address> addresses = List.copyOf(view.getMembers());
        Map<String, Address> byName = new LinkedHashMap<>();
        for (Address a : addresses) {
            Address previous = byName.put(nameOf(a), a);
            if (previous != null) {
                // the newer member wins: most likely a restarted node whose old incarnation is not removed yet
                LOG.warn("two members of domain {} are named {} ({} and {}); node names must be unique",
                        settings.domain(), nameOf(a), previous, a);
            }
        }
        Membership before = membership;
        membership = new Membership(addresses, Collections.unmodifiableMap(byName));

        Set<String> joined = new LinkedHashSet<>(byName.keySet());
        joined.removeAll(before.byName().keySet());
        Set<String> left = new LinkedHashSet<>(before.byName().keySet());
        left.removeAll(byName.keySet());
        LOG.info("domain {} view {}: members {}, joined {}, left {}", settings.domain(), view.getViewId(),
                byName.keySet(), joined, left);

        eventQueues.keySet().removeAll(left);
        for (Map.Entry<String, PendingRequest> e : List.copyOf(pending.entrySet())) {
            PendingRequest p = e.getValue();
            if (left.contains(p.node())) {
                fail(e.getKey(), new TransportException(
                        "node " + p.node() + " left domain " + settings.domain() + " before answering " + p.type()));
            }
        }
        if (joined.isEmpty() && left.isEmpty()) {
            return;
        }
        List<ClusterMember> members = members(addresses);
        Set<String> joinedView = Collections.unmodifiableSet(joined);
        Set<String> leftView = Collections.unmodifiableSet(left);
        for (MembershipListener listener : listeners) {
            try {
                membershipQueue.execute(() -> listener.membersChanged(members, joinedView, leftView));
            } catch (RejectedExecutionException ex) {
                return;
            }
        }
    }

    private List<ClusterMember> members(List<Address> addresses) {
        JChannel ch = channel;
        Address self = ch == null ? null : ch.address();
        List<ClusterMember> result = new ArrayList<>(addresses.size());
        for (Address a : addresses) {
            result.add(new ClusterMember(nameOf(a), physicalAddress(a), a.equals(self)));
        }
        return List.copyOf(result);
    }

    private String physicalAddress(Address address) {
        JChannel ch = channel;
        if (ch == null || address == null) {
            return "";
        }
        Object physical = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, address));
        if (physical instanceof IpAddress ip) {
            return ip.getIpAddress().getHostAddress() + ":" + ip.getPort();
        }
        return physical instanceof PhysicalAddress p ? p.printIpAddress() : "";
    }

    private static String nameOf(Address address) {
        if (address == null) {
            return "?";
        }
        String name = NameCache.get(address);
        return name != null ? name : address.toString();
    }

    private static List<String> names(List<Address> addresses) {
        return addresses.stream().map(JGroupsTransport::nameOf).toList();
    }

    // ---------------------------------------------------------------- plumbing

    private TransportException closedException() {
        return new TransportException("transport of node " + settings.nodeName() + " is not running");
    }

    private void shutdownThreads() {
        timer.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("handlers still running after 5 s at close of node {}; interrupting them", settings.nodeName());
                pool.shutdownNow();
            }
        } catch (InterruptedException ex) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Bridges JGroups' callbacks; kept apart so that the transport's public surface is only the API. */
    private final class ChannelReceiver implements Receiver {
        @Override
        public void receive(org.jgroups.Message msg) {
            received(msg);
        }

        @Override
        public void viewAccepted(View view) {
            JGroupsTransport.this.viewAccepted(view);
        }
    }

    @Override
    public String toString() {
        return "JGroupsTransport[" + settings.nodeName() + "@" + settings.domain() + "]";
    }
}
