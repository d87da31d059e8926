package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellGuestAgent;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.Message;
import io.skiff.api.transport.MessageHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilityDispatcherTest {

    /** Holds the handlers registered by type; no network (a stand-in for the transport at unit level). */
    private static final class Handlers implements ClusterTransport {
        final Map<String, MessageHandler> byType = new HashMap<>();

        Object deliver(String type, Object body) throws Exception {
            return byType.get(type).handle(new Message() {
                @Override
                public int version() {
                    return 1;
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
            });
        }

        @Override
        public Registration subscribe(String type, MessageHandler handler) {
            byType.put(type, handler);
            return () -> byType.remove(type, handler);
        }

        @Override
        public String domain() {
            return "unit";
        }

        @Override
        public String localNode() {
            return "cell-a";
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
        public <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType,
                                                Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration addMembershipListener(MembershipListener listener) {
            return () -> { };
        }
    }

    @Test
    void eachMethodAnswersItsMessageTypeAndReadsTriggerNoReport() throws Exception {
        Handlers transport = new Handlers();
        AtomicInteger changes = new AtomicInteger();
        CellGuestAgent agent = request -> new GuestAgentReply(request.instanceId(), "{\"return\":{}}");
        List<ClusterTransport.Registration> registrations = CapabilityDispatcher.register(transport,
                CellGuestAgent.class, agent, changes::incrementAndGet);

        Object reply = transport.deliver(CellProtocol.GUEST_AGENT, new GuestAgentRequest("i-1", "{}", 5));
        assertEquals(new GuestAgentReply("i-1", "{\"return\":{}}"), reply);
        assertEquals(0, changes.get(), "a guest agent command is a read");

        registrations.forEach(ClusterTransport.Registration::close);
        assertTrue(transport.byType.isEmpty());
    }

    @Test
    void whatTheImplementationThrowsGoesBackAsItIs() {
        Handlers transport = new Handlers();
        SkiffException refused = SkiffException.conflict("guestAgent", "no agent runs in the guest");
        CellGuestAgent agent = request -> {
            throw refused;
        };
        CapabilityDispatcher.register(transport, CellGuestAgent.class, agent, () -> { });
        assertSame(refused, assertThrows(SkiffException.class,
                () -> transport.deliver(CellProtocol.GUEST_AGENT, new GuestAgentRequest("i-1", "{}", 5))));
    }

    @Test
    void aChangeTriggersTheReport() throws Exception {
        Handlers transport = new Handlers();
        AtomicInteger changes = new AtomicInteger();
        CapabilityDispatcher.register(transport, io.skiff.api.cell.CellSnapshots.class,
                new io.skiff.api.cell.CellSnapshots() {
                    @Override
                    public io.skiff.api.cell.SnapshotList list(io.skiff.api.cell.InstanceAction action) {
                        return new io.skiff.api.cell.SnapshotList(action.instanceId(), List.of());
                    }

                    @Override
                    public io.skiff.api.model.Snapshot create(io.skiff.api.cell.SnapshotRequest request) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public Ack revert(io.skiff.api.cell.SnapshotRequest request) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public Ack delete(io.skiff.api.cell.SnapshotRequest request) {
                        return new Ack(request.instanceId(), "deleted");
                    }
                }, changes::incrementAndGet);
        transport.deliver(CellProtocol.SNAPSHOT_LIST, io.skiff.api.cell.InstanceAction.of("i-1"));
        assertEquals(0, changes.get());
        transport.deliver(CellProtocol.SNAPSHOT_DELETE, new io.skiff.api.cell.SnapshotRequest("i-1", "s1", null));
        assertEquals(1, changes.get());
    }
}
