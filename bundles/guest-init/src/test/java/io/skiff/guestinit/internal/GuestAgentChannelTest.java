package io.skiff.guestinit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.api.transport.RemoteException;
import io.skiff.api.transport.TransportException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guest agent commands against a cell faked at the transport: what is sent, and how the cell's errors come back. */
class GuestAgentChannelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final InstanceStatus RUNNING = new InstanceStatus("i-1", new InstanceSpec("vm-1", "pool", null, 1,
            64L << 20, List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false), InstanceState.RUNNING,
            "cell-1", "admin", "admin", null, null, null, null, null, null);

    @Test
    void guestExecStatusIsChecked() throws Exception {
        assertNull(GuestAgentChannel.execProblem(JSON.readTree("{\"exited\":true,\"exitcode\":0}")));
        String err = Base64.getEncoder().encodeToString("hostname: sethostname: Operation not permitted\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("exited with 1: hostname: sethostname: Operation not permitted", GuestAgentChannel.execProblem(
                JSON.readTree("{\"exited\":true,\"exitcode\":1,\"err-data\":\"" + err + "\"}")));
        assertEquals("exited with 127", GuestAgentChannel.execProblem(
                JSON.readTree("{\"exited\":true,\"exitcode\":127}")));
        assertEquals("killed by signal 9", GuestAgentChannel.execProblem(
                JSON.readTree("{\"exited\":true,\"signal\":9}")));
    }

    @Test
    void aCommandGoesToTheInstancesCell() throws Exception {
        FakeCell cell = new FakeCell(request -> CompletableFuture.completedFuture(
                new GuestAgentReply("i-1", "{\"return\":{}}")));
        String reply = new GuestAgentChannel(cell.transport(), Duration.ofSeconds(5)).command(RUNNING,
                Map.of("execute", "guest-ping"));
        assertEquals("{\"return\":{}}", reply);
        assertEquals("cell-1", cell.nodes.get(0));
        GuestAgentRequest sent = cell.requests.get(0);
        assertEquals("i-1", sent.instanceId());
        assertEquals("guest-ping", JSON.readTree(sent.command()).path("execute").asText());
        assertEquals(GuestAgentChannel.AGENT_TIMEOUT_SECONDS, sent.timeoutSeconds());
    }

    @Test
    void noAgentOrARefusalIsAConflictOnGuestAgent() {
        for (String code : List.of("no-guest-agent", "guest-agent-failed")) {
            FakeCell cell = new FakeCell(request -> CompletableFuture.failedFuture(new RemoteException("cell-1",
                    CellProtocol.GUEST_AGENT, SkiffException.Kind.CONFLICT, code, null,
                    "instance i-1 does not answer the QEMU guest agent")));
            SkiffException e = assertThrows(SkiffException.class, () -> new GuestAgentChannel(cell.transport(),
                    Duration.ofSeconds(5)).command(RUNNING, Map.of("execute", "guest-ping")));
            assertEquals(SkiffException.Kind.CONFLICT, e.kind());
            assertEquals("guestAgent", e.field());
            assertEquals("instance i-1 does not answer the QEMU guest agent", e.getMessage());
        }
    }

    @Test
    void otherCellErrorsKeepTheirKindCodeAndField() {
        FakeCell cell = new FakeCell(request -> CompletableFuture.failedFuture(new RemoteException("cell-1",
                CellProtocol.GUEST_AGENT, SkiffException.Kind.NOT_FOUND, "not-found", "instance",
                "instance 'i-1' does not exist")));
        SkiffException e = assertThrows(SkiffException.class, () -> new GuestAgentChannel(cell.transport(),
                Duration.ofSeconds(5))
                .command(RUNNING, Map.of("execute", "guest-ping")));
        assertEquals(SkiffException.Kind.NOT_FOUND, e.kind());
        assertEquals("not-found", e.code());
        assertEquals("instance", e.field());
        assertTrue(e.getMessage().startsWith("cell cell-1 could not " + CellProtocol.GUEST_AGENT + ": "),
                e.getMessage());
    }

    @Test
    void anUnreachableCellIsUnavailable() {
        FakeCell cell = new FakeCell(request -> CompletableFuture.failedFuture(new TransportException("no node")));
        SkiffException e = assertThrows(SkiffException.class, () -> new GuestAgentChannel(cell.transport(),
                Duration.ofSeconds(5))
                .command(RUNNING, Map.of("execute", "guest-ping")));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertEquals("cell-unreachable", e.code());
    }

    @Test
    void execWaitsForTheExitAndReportsAFailure() {
        List<String> replies = new ArrayList<>(List.of("{\"return\":{\"pid\":42}}",
                "{\"return\":{\"exited\":false}}",
                "{\"return\":{\"exited\":true,\"exitcode\":2}}"));
        FakeCell cell = new FakeCell(request -> CompletableFuture.completedFuture(new GuestAgentReply("i-1",
                replies.remove(0))));
        SkiffException e = assertThrows(SkiffException.class, () -> new GuestAgentChannel(cell.transport(),
                Duration.ofSeconds(5))
                .exec(RUNNING, "/bin/sh", List.of("-c", "false"), "set its host name"));
        assertEquals("guestAgent", e.field());
        assertEquals("the guest of instance 'vm-1' could not set its host name (/bin/sh exited with 2)",
                e.getMessage());
        assertEquals(3, cell.requests.size(), "started, polled, polled again");
    }

    /**
     * A cell that answers guest agent requests with the given function, and what it was asked: a cluster transport
     * that can only {@code request} (the channel needs nothing else; anything else fails the test).
     */
    static final class FakeCell implements InvocationHandler {
        final List<String> nodes = new ArrayList<>();
        final List<GuestAgentRequest> requests = new ArrayList<>();
        private final Function<GuestAgentRequest, CompletableFuture<GuestAgentReply>> answer;

        FakeCell(Function<GuestAgentRequest, CompletableFuture<GuestAgentReply>> answer) {
            this.answer = answer;
        }

        ClusterTransport transport() {
            return (ClusterTransport) Proxy.newProxyInstance(ClusterTransport.class.getClassLoader(),
                    new Class<?>[] {ClusterTransport.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            // request(node, type, body, replyType, timeout)
            assertEquals("request", method.getName(), "the guest agent channel only sends requests");
            assertEquals(CellProtocol.GUEST_AGENT, args[1]);
            nodes.add((String) args[0]);
            requests.add((GuestAgentRequest) args[2]);
            return answer.apply((GuestAgentRequest) args[2]);
        }
    }
}
