package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.MessageHandler;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The cell side of the protocol at unit level (a stand-in for the cluster transport; no network): answers per message
 * type, and what was asked, in order.
 */
final class FakeCellTransport implements ClusterTransport {
    private final String cellName;
    private final Set<String> nodes;

    private final Map<String, Function<Object, CompletableFuture<Object>>> handlers = new ConcurrentHashMap<>();
    private final List<Object[]> requests = new CopyOnWriteArrayList<>();

    /** @param otherCells further cell names this stand-in answers for, with the same handlers */
    FakeCellTransport(String cellName, String... otherCells) {
        this.cellName = cellName;
        this.nodes = new HashSet<>(List.of(otherCells));
        this.nodes.add(cellName);
    }

    /** Fails requests of a type with an error the cell raised, of the given kind, code and field. */
    void fail(String type, SkiffException error) {
        handlers.put(type, body -> CompletableFuture.failedFuture(new io.skiff.api.transport.RemoteException(
                cellName, type, error.kind(), error.code(), error.field(), error.getMessage())));
    }

    /** Fails requests of a type as an unreachable cell does. */
    void unreachable(String type) {
        handlers.put(type, body -> CompletableFuture.failedFuture(new io.skiff.api.transport.TransportException(
                "no node " + cellName + " in domain unit")));
    }

    void answer(String type, Function<Object, Object> reply) {
        handlers.put(type, body -> CompletableFuture.completedFuture(reply.apply(body)));
    }

    void answerAsync(String type, Function<Object, CompletableFuture<?>> reply) {
        handlers.put(type, body -> reply.apply(body).thenApply(o -> (Object) o));
    }

    void fail(String type, String message) {
        // as the real transport reports an error the cell's handler raised
        handlers.put(type, body -> CompletableFuture.failedFuture(new io.skiff.api.transport.RemoteException(
                cellName, type, SkiffException.Kind.INTERNAL, "handler-failed", null, message)));
    }

    List<String> types() {
        return requests.stream().map(r -> (String) r[0]).toList();
    }

    /** @return "type@node" of every request, in order */
    List<String> calls() {
        return requests.stream().map(r -> r[0] + "@" + r[2]).toList();
    }

    List<Object> bodies(String type) {
        return requests.stream().filter(r -> r[0].equals(type)).map(r -> r[1]).toList();
    }

    @Override
    public String domain() {
        return "unit";
    }

    @Override
    public String localNode() {
        return "core";
    }

    @Override
    public List<ClusterMember> members() {
        return List.of();
    }

    @Override
    public void publish(String type, Object body) {
    }

    @Override
    public void send(String node, String type, Object body) {
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType,
                                            Duration timeout) {
        requests.add(new Object[] {type, body, node});
        Function<Object, CompletableFuture<Object>> h = handlers.get(type);
        if (!nodes.contains(node) || h == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no answer to " + type + " on "
                    + node));
        }
        return (CompletableFuture<R>) h.apply(body);
    }

    @Override
    public Registration subscribe(String type, MessageHandler handler) {
        return () -> { };
    }

    @Override
    public Registration addMembershipListener(MembershipListener listener) {
        return () -> { };
    }
}
