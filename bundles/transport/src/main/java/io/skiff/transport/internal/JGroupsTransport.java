package io.skiff.transport.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.SecretKey;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.SuspectedException;
import org.jgroups.View;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestHandler;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.MessageHandler;
import io.skiff.api.transport.TransportException;

/**
 * {@link ClusterTransport} over one JGroups channel: the domain is the JGroups cluster, a node is a logical name in
 * it. Every message is a JSON {@link Envelope} in a {@link BytesMessage}. Messages to this node go through JGroups'
 * loopback like any other, so Core and Cell in one JVM talk exactly as they would across hosts.
 *
 * <p>Requests go through JGroups' {@link MessageDispatcher}: its {@code RequestCorrelator} matches a reply with its
 * request by a header of its own (the envelope's {@code corr} is only informational there), fails a request whose node
 * left the view or whose channel closed, and hands an incoming request to {@link Requests} without waiting for the
 * answer ({@code asyncDispatching}): the handler runs on the transport's pool and the reply goes back through JGroups'
 * {@link Response} when the handler is done. The dispatcher applies {@link RequestOptions#timeout()} only to its
 * blocking calls, so the future of a request gets its time-out from {@link CompletableFuture#orTimeout}. Events stay
 * plain messages without the dispatcher's header; {@link PlainMessageSplitter} routes them past the dispatcher.
 *
 * <p>Threads: JGroups' threads only decode the envelope. Handlers run on the transport's pool: the events of one
 * sender one after the other in delivery order, requests concurrently, so a slow request handler delays neither the
 * channel nor other messages. A caller's future is completed on the pool too.
 *
 * <p>Rolling upgrade: the previous transport sent requests and replies as plain envelopes correlated by their
 * {@code id} and {@code corr}. This one answers such a request with such a reply, and takes a plain reply whose
 * {@code corr} names a request in flight as that request's answer (a node of the previous transport ignores the
 * dispatcher's header and answers the envelope it reads). Both can go once no node of the previous transport is left.
 */
public final class JGroupsTransport implements ClusterTransport, AutoCloseable {
    /** The error code of a request that reached a node with no handler for its type (yet). */
    static final String NOT_READY = "not-ready";
    /** The error code of a request from a member refused because another member holds its node name. */
    static final String DUPLICATE_NAME = "duplicate-node-name";
    private static final Logger LOG = LoggerFactory.getLogger(JGroupsTransport.class);
    private static final int MAX_HANDLER_THREADS = 200;

    private final TransportSettings settings;
    private final ObjectMapper mapper;
    private final Replies replies;
    private final ThreadPoolExecutor pool;
    /** The pool, or the calling thread once the pool takes no more tasks (closing): completes the callers' futures. */
    private final Executor completions = this::runOnPool;
    private final ClusterView view;
    private final Map<String, MessageHandler> handlers = new ConcurrentHashMap<>();
    /** The requests in flight by envelope id: only for the plain replies of nodes of the previous transport. */
    private final Map<String, CompletableFuture<Envelope>> plainReplies = new ConcurrentHashMap<>();
    private final Map<String, SerialExecutor> eventQueues = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile JChannel channel;
    private volatile MessageDispatcher dispatcher;

    /** Sends the JSON of an answer to a request back to the node that asked. */
    @FunctionalInterface
    private interface Answer {
        void send(byte[] json) throws Exception;
    }

    public JGroupsTransport(TransportSettings settings, ObjectMapper mapper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.replies = new Replies(mapper);
        String prefix = "skiff-transport-" + settings.nodeName();
        // grows with the handlers in flight instead of queueing: a handler that waits on another request cannot
        // starve the thread that would complete it; past the bound, the JGroups thread runs the task (back-pressure)
        this.pool = new ThreadPoolExecutor(0, MAX_HANDLER_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads(prefix), new ThreadPoolExecutor.CallerRunsPolicy());
        this.view = new ClusterView(settings.domain(), () -> channel, pool);
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
        MessageDispatcher d = null;
        try {
            ProtocolStackFactory.disableDiagnostics(ch);
            ch.name(settings.nodeName());
            ch.setDiscardOwnMessages(false);
            // a reply is completed on the JGroups thread that received it and handed to the pool right away, so
            // JGroups' detour through the common ForkJoinPool (its default without virtual threads) is not needed
            d = new MessageDispatcher(ch, new Requests()).asyncDispatching(true).asyncRspHandling(false);
            d.setReceiver(new ViewReceiver());
            ch.setUpHandler(new PlainMessageSplitter(d.protocolAdapter(), this::receivedPlain));
            dispatcher = d;
            channel = ch;
            ch.connect(settings.domain());
        } catch (Exception ex) {
            channel = null;
            dispatcher = null;
            if (d != null) {
                d.stop();
            }
            ch.close();
            shutdownThreads();
            throw ex;
        }
        LOG.info("node {} joined domain {} at {} ({} discovery); members {}", settings.nodeName(), settings.domain(),
                view.physicalAddress(ch.address()), settings.discovery().name().toLowerCase(), view.names());
    }

    /** Leaves the domain, fails the requests still waiting and stops the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        MessageDispatcher d = dispatcher;
        if (d != null) {
            // fails the requests in flight (the dispatcher also stops when the channel closes; this is first)
            d.stop();
        }
        JChannel ch = channel;
        if (ch != null) {
            ch.close();
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
        return view.members();
    }

    @Override
    public void publish(String type, Object body) {
        send((Address) null, Envelope.create(type, null, Envelope.Kind.EVENT, toTree(body)));
    }

    @Override
    public void send(String node, String type, Object body) {
        send(resolve(node), Envelope.create(type, null, Envelope.Kind.EVENT, toTree(body)));
    }

    @Override
    public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType,
                                            Duration timeout) {
        Objects.requireNonNull(replyType, "replyType");
        CompletableFuture<R> result = new CompletableFuture<>();
        Address target;
        Envelope envelope;
        byte[] json;
        try {
            target = resolve(node);
            envelope = Envelope.create(type, null, Envelope.Kind.REQUEST, toTree(body));
            json = write(envelope);
        } catch (RuntimeException ex) {
            result.completeExceptionally(ex);
            return result;
        }
        MessageDispatcher d = dispatcher;
        if (d == null || closed.get()) {
            result.completeExceptionally(closedException());
            return result;
        }
        Duration wait = timeout == null || timeout.isNegative() || timeout.isZero() ? settings.requestTimeout() : timeout;
        String id = envelope.id();
        // the reply: from the dispatcher, or as a plain envelope from a node of the previous transport
        CompletableFuture<Envelope> answer = new CompletableFuture<>();
        plainReplies.put(id, answer);
        CompletableFuture<Object> dispatched;
        try {
            // RequestOptions' time-out holds only for the dispatcher's blocking calls; this future's is orTimeout below
            dispatched = d.sendMessageWithFuture(new BytesMessage(target, json),
                    RequestOptions.SYNC().timeout(wait.toMillis()));
        } catch (Exception ex) {
            plainReplies.remove(id);
            result.completeExceptionally(ex instanceof TransportException te ? te
                    : new TransportException("cannot send " + type + " to node " + node + ": " + ex.getMessage(), ex));
            return result;
        }
        dispatched.whenComplete((reply, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
                return;
            }
            try {
                answer.complete(replies.read(reply, node, type));
            } catch (TransportException ex) {
                answer.completeExceptionally(ex);
            }
        });
        answer.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((reply, failure) -> {
            plainReplies.remove(id);
            // gives the dispatcher's entry back when the time-out or a plain reply came first; nothing otherwise
            dispatched.cancel(false);
            try {
                if (failure != null) {
                    throw requestFailed(failure, node, type, wait);
                }
                result.complete(replies.value(reply, node, replyType));
            } catch (RuntimeException ex) {
                result.completeExceptionally(ex);
            }
        }, completions);
        // when the caller cancels the future (a no-op once it is answered)
        result.whenComplete((r, e) -> answer.cancel(false));
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
        return view.addListener(listener);
    }

    /**
     * Sends an envelope as it is, as a plain message (an event, or what a node of the previous transport sent);
     * package-private so that tests can send other versions.
     */
    void send(Address destination, Envelope envelope) {
        sendPlain(destination, envelope.type(), write(envelope));
    }

    private void sendPlain(Address destination, String type, byte[] json) {
        JChannel ch = channel;
        if (ch == null || closed.get()) {
            throw closedException();
        }
        try {
            ch.send(new BytesMessage(destination, json));
        } catch (Exception ex) {
            throw new TransportException("cannot send " + type + " to "
                    + (destination == null ? "domain " + settings.domain() : "node " + ClusterView.nameOf(destination))
                    + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the address of the named member; a {@link TransportException} when no member has that name */
    Address resolve(String node) {
        return view.resolve(node);
    }

    private byte[] write(Envelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (Exception ex) {
            throw new TransportException("cannot write " + envelope.type() + " as JSON: " + ex.getMessage(), ex);
        }
    }

    private JsonNode toTree(Object body) {
        return ReceivedMessage.toTree(mapper, body);
    }

    // ---------------------------------------------------------------- the caller's side of a request

    /** Why a request got no reply, as the {@link TransportException} its caller sees. */
    private RuntimeException requestFailed(Throwable failure, String node, String type, Duration wait) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TransportException ex) {
            return ex;
        }
        if (cause instanceof TimeoutException) {
            return new TransportException("request " + type + " to node " + node + " timed out after "
                    + wait.toMillis() + " ms");
        }
        if (cause instanceof SuspectedException) {
            return new TransportException(
                    "node " + node + " left domain " + settings.domain() + " before answering " + type);
        }
        if (closed.get()) {
            return new TransportException("transport of node " + settings.nodeName() + " closed");
        }
        if (cause instanceof CancellationException ex) {
            return ex;
        }
        return new TransportException("request " + type + " to node " + node + " failed: " + cause, cause);
    }

    // ---------------------------------------------------------------- receiving

    /** @return the message's envelope, or {@code null} when it is dropped (logged) */
    private Envelope read(org.jgroups.Message msg, String from) {
        Envelope envelope;
        try {
            envelope = mapper.readValue(msg.getArray(), msg.getOffset(), msg.getLength(), Envelope.class);
        } catch (Exception ex) {
            LOG.warn("dropped unreadable message from {}: {}", from, ex.getMessage());
            return null;
        }
        if (!Envelope.accepted(envelope.v())) {
            LOG.warn("dropped {} {} from {}: message version {} (this node accepts {})", envelope.kind(),
                    envelope.type(), from, envelope.v(), Envelope.acceptedVersions());
            return null;
        }
        if (envelope.type() == null || envelope.kind() == null) {
            LOG.warn("dropped message {} from {}: no type or kind", envelope.id(), from);
            return null;
        }
        return envelope;
    }

    /**
     * A message without the dispatcher's header: an event, or a request or reply of a node of the previous transport
     * (answered, resp. taken, as plain envelopes the way that transport did).
     */
    private void receivedPlain(org.jgroups.Message msg) {
        Address src = msg.src();
        String from = ClusterView.nameOf(src);
        Envelope envelope = read(msg, from);
        if (envelope == null || refused(src, envelope, json -> sendPlain(src, envelope.type(), json))) {
            return;
        }
        try {
            switch (envelope.kind()) {
                case EVENT -> eventQueues.computeIfAbsent(from, k -> new SerialExecutor(pool))
                        .execute(() -> handleEvent(envelope, from));
                case REQUEST -> pool.execute(() -> handleRequest(envelope, from,
                        json -> sendPlain(src, envelope.type(), json)));
                case REPLY, ERROR -> plainReply(envelope, from);
            }
        } catch (RejectedExecutionException ex) {
            LOG.debug("dropped {} {} from {}: transport closing", envelope.kind(), envelope.type(), from);
        }
    }

    /** A request from another node's dispatcher: handled on the pool, answered through {@code response}. */
    private void receivedRequest(org.jgroups.Message msg, Response response) {
        String from = ClusterView.nameOf(msg.src());
        Envelope envelope = read(msg, from);
        if (envelope == null) {
            return;
        }
        if (envelope.kind() != Envelope.Kind.REQUEST || response == null) {
            LOG.warn("dropped {} {} from {}: not a request that expects a reply", envelope.kind(), envelope.type(),
                    from);
            return;
        }
        if (refused(msg.src(), envelope, json -> response.send(json, false))) {
            return;
        }
        try {
            pool.execute(() -> handleRequest(envelope, from, json -> response.send(json, false)));
        } catch (RejectedExecutionException ex) {
            LOG.debug("dropped {} {} from {}: transport closing", envelope.kind(), envelope.type(), from);
        }
    }

    /**
     * Drops an event or request from a member refused because another member holds its node name ({@link ClusterView});
     * a request is answered with {@link #DUPLICATE_NAME} so that its sender does not wait for the time-out. Replies to
     * this node's own requests are taken.
     *
     * @return whether the message was refused
     */
    private boolean refused(Address src, Envelope envelope, Answer answer) {
        if (view.accepts(src) || envelope.kind() == Envelope.Kind.REPLY || envelope.kind() == Envelope.Kind.ERROR) {
            return false;
        }
        String from = ClusterView.nameOf(src);
        LOG.debug("dropped {} {} from the refused member {} at {}", envelope.kind(), envelope.type(), from,
                view.physicalAddress(src));
        if (envelope.kind() == Envelope.Kind.REQUEST) {
            reply(envelope, from, answer, null, new SkiffException(SkiffException.Kind.CONFLICT, DUPLICATE_NAME,
                    "node " + settings.nodeName() + " refuses member " + from + " at " + view.physicalAddress(src)
                            + ": another member of domain " + settings.domain() + " holds that node name", null),
                    DUPLICATE_NAME);
        }
        return true;
    }

    /** The reply of a node of the previous transport: a plain envelope naming the request's id in {@code corr}. */
    private void plainReply(Envelope reply, String from) {
        if (reply.corr() == null) {
            LOG.warn("dropped {} {} from {}: no correlation id", reply.kind(), reply.type(), from);
            return;
        }
        CompletableFuture<Envelope> waiting = plainReplies.remove(reply.corr());
        if (waiting == null) {
            LOG.debug("late or unknown reply {} from {} (request {})", reply.type(), from, reply.corr());
            return;
        }
        waiting.complete(reply);
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

    private void handleRequest(Envelope request, String from, Answer answer) {
        MessageHandler handler = handlers.get(request.type());
        if (handler == null) {
            // the node is up but the component that answers this type is not (yet): callers retry a NOT_READY
            reply(request, from, answer, null, new SkiffException(SkiffException.Kind.UNAVAILABLE, NOT_READY,
                    "node " + settings.nodeName() + " has no handler for " + request.type() + " (not ready)", null),
                    NOT_READY);
            return;
        }
        Object result;
        try {
            result = handler.handle(new ReceivedMessage(request, from, mapper));
        } catch (Exception ex) {
            reply(request, from, answer, null, ex, null);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, ex) -> reply(request, from, answer, value, ex, null));
        } else {
            reply(request, from, answer, result, null, null);
        }
    }

    private void reply(Envelope request, String from, Answer answer, Object value, Throwable failure, String code) {
        try {
            answer.send(write(replies.answer(request, from, value, failure, code)));
        } catch (Exception ex) {
            LOG.warn("cannot answer request {} from {}: {}", request.type(), from, ex.getMessage());
        }
    }

    // ---------------------------------------------------------------- membership

    private void viewAccepted(View newView) {
        // the requests to a node that left: the dispatcher failed them before this view reached here
        eventQueues.keySet().removeAll(view.accept(newView));
    }

    // ---------------------------------------------------------------- plumbing

    private TransportException closedException() {
        return new TransportException("transport of node " + settings.nodeName() + " is not running");
    }

    /** Runs a task on the pool; on the calling thread once the pool is shut down, so that no future stays open. */
    private void runOnPool(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException ex) {
            task.run();
        }
    }

    private void shutdownThreads() {
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

    /**
     * The dispatcher's request handler. With {@code asyncDispatching} the dispatcher calls only
     * {@link #handle(org.jgroups.Message, Response)}, on its own thread, which hands the request to the pool and
     * returns; the answer goes through {@code response} whenever the handler is done. It never throws: the dispatcher
     * would send a thrown exception back Java-serialised, and Skiff's errors travel as envelopes.
     */
    private final class Requests implements RequestHandler {
        @Override
        public Object handle(org.jgroups.Message msg) {
            throw new UnsupportedOperationException("requests are dispatched asynchronously");
        }

        @Override
        public void handle(org.jgroups.Message msg, Response response) {
            try {
                receivedRequest(msg, response);
            } catch (RuntimeException ex) {
                LOG.warn("dropped request from {}: {}", ClusterView.nameOf(msg.src()), ex.toString(), ex);
            }
        }
    }

    /** The dispatcher's receiver: view changes (messages reach the transport through {@link PlainMessageSplitter}). */
    private final class ViewReceiver implements Receiver {
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
