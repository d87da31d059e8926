package io.skiff.cell.internal;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.CellGuestAgent;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilityDispatcherTest {

    @Test
    void eachMethodAnswersItsMessageTypeAndReadsTriggerNoReport() throws Exception {
        FakeTransport transport = new FakeTransport("cell-a");
        AtomicInteger changes = new AtomicInteger();
        CellGuestAgent agent = request -> new GuestAgentReply(request.instanceId(), "{\"return\":{}}");
        List<ClusterTransport.Registration> registrations = CapabilityDispatcher.register(transport,
                CellGuestAgent.class, agent, changes::incrementAndGet);

        Object reply = transport.request(CellProtocol.GUEST_AGENT, new GuestAgentRequest("i-1", "{}", 5), Object.class);
        assertEquals(new GuestAgentReply("i-1", "{\"return\":{}}"), reply);
        assertEquals(0, changes.get(), "a guest agent command is a read");

        registrations.forEach(ClusterTransport.Registration::close);
        assertTrue(transport.handlers.isEmpty());
    }

    @Test
    void whatTheImplementationThrowsGoesBackAsItIs() {
        FakeTransport transport = new FakeTransport("cell-a");
        SkiffException refused = SkiffException.conflict("guestAgent", "no agent runs in the guest");
        CellGuestAgent agent = request -> {
            throw refused;
        };
        CapabilityDispatcher.register(transport, CellGuestAgent.class, agent, () -> { });
        assertSame(refused, assertThrows(SkiffException.class,
                () -> transport.request(CellProtocol.GUEST_AGENT, new GuestAgentRequest("i-1", "{}", 5), Object.class)));
    }

    @Test
    void aChangeTriggersTheReport() throws Exception {
        FakeTransport transport = new FakeTransport("cell-a");
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
        transport.request(CellProtocol.SNAPSHOT_LIST, io.skiff.api.cell.InstanceAction.of("i-1"), Object.class);
        assertEquals(0, changes.get());
        transport.request(CellProtocol.SNAPSHOT_DELETE, new io.skiff.api.cell.SnapshotRequest("i-1", "s1", null), Object.class);
        assertEquals(1, changes.get());
    }
}
