package io.skiff.guestinit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;
import org.apache.commons.codec.digest.Crypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guest agent operations with the Core's services and the cell faked: checks first, then the agent, then the seed. */
class QemuGuestAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The instance's owner; the fake Core answers it alone, as it answers a caller who may see the instance. */
    private static final AuthenticatedUser OWNER = new AuthenticatedUser(GuestAgentChannelTest.RUNNING.owner(),
            Set.of("user"));

    private final List<String> recorded = new ArrayList<>();

    private QemuGuestAgent agent(InstanceStatus instance, GuestAgentChannelTest.FakeCell cell) {
        return new QemuGuestAgent(new OneInstance(instance), (id, hostname) -> recorded.add(id + "=" + hostname),
                new GuestAgentChannel(cell.transport(), Duration.ofSeconds(5)));
    }

    private static InstanceStatus in(InstanceState state) {
        InstanceStatus r = GuestAgentChannelTest.RUNNING;
        return new InstanceStatus(r.id(), r.spec(), state, r.cellId(), r.owner(), r.group(), null, null, null,
                "t-1", null, null);
    }

    private static GuestAgentChannelTest.FakeCell answering(String... replies) {
        List<String> left = new ArrayList<>(List.of(replies));
        return new GuestAgentChannelTest.FakeCell(request -> CompletableFuture.completedFuture(
                new GuestAgentReply(request.instanceId(), left.remove(0))));
    }

    @Test
    void onlyASettledRunningInstanceIsAsked() {
        assertEquals("instance 'vm-1' is creating; wait for task t-1", assertThrows(SkiffException.class,
                () -> QemuGuestAgent.running(in(InstanceState.CREATING), "a password reset")).getMessage());
        SkiffException stopped = assertThrows(SkiffException.class,
                () -> QemuGuestAgent.running(in(InstanceState.STOPPED), "a password reset"));
        assertEquals(SkiffException.Kind.CONFLICT, stopped.kind());
        assertEquals("instance", stopped.field());
        assertEquals("instance 'vm-1' is not running; a password reset goes through the QEMU guest agent inside a "
                + "running guest", stopped.getMessage());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsAsked() {
        GuestAgentChannelTest.FakeCell cell = answering();
        QemuGuestAgent agent = agent(in(InstanceState.RUNNING), cell);
        assertEquals("user", assertThrows(SkiffException.class,
                () -> agent.resetGuestPassword("vm-1", "Root!", "pw", OWNER)).field());
        assertEquals("password", assertThrows(SkiffException.class,
                () -> agent.resetGuestPassword("vm-1", "ops", "", OWNER)).field());
        assertEquals("hostname", assertThrows(SkiffException.class,
                () -> agent.changeGuestHostname("vm-1", "-bad-", OWNER)).field());
        assertTrue(cell.requests.isEmpty());
    }

    @Test
    void anInstanceTheCallerMayNotSeeIsNotFoundBeforeAnythingElse() {
        GuestAgentChannelTest.FakeCell cell = answering();
        QemuGuestAgent agent = agent(in(InstanceState.STOPPED), cell);
        AuthenticatedUser stranger = new AuthenticatedUser("mallory", Set.of("user"));
        SkiffException hidden = assertThrows(SkiffException.class,
                () -> agent.resetGuestPassword("vm-1", "Root!", "", stranger));
        assertEquals(SkiffException.Kind.NOT_FOUND, hidden.kind());
        assertEquals("instance 'vm-1' does not exist", hidden.getMessage());
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> agent.changeGuestHostname("vm-1", "-bad-", stranger)).kind());
        assertTrue(cell.requests.isEmpty());
    }

    @Test
    void thePasswordReachesTheAgentOnlyAsAHash() throws Exception {
        GuestAgentChannelTest.FakeCell cell = answering("{\"return\":{}}");
        String answer = agent(in(InstanceState.RUNNING), cell).resetGuestPassword("vm-1", "ops", "s3cret!", OWNER);
        assertEquals("password of user 'ops' set in the guest", answer);
        JsonNode command = JSON.readTree(cell.requests.get(0).command());
        assertEquals("guest-set-user-password", command.path("execute").asText());
        assertTrue(command.path("arguments").path("crypted").asBoolean());
        String hash = new String(Base64.getDecoder().decode(command.path("arguments").path("password").asText()),
                StandardCharsets.UTF_8);
        assertTrue(hash.startsWith("$6$"), hash);
        assertEquals(hash, Crypt.crypt("s3cret!", hash));
        assertFalse(cell.requests.get(0).command().contains("s3cret"));
    }

    @Test
    void aNewHostNameIsSetInTheGuestThenRecordedForTheSeed() {
        GuestAgentChannelTest.FakeCell cell = answering("{\"return\":{\"pid\":7}}",
                "{\"return\":{\"exited\":true,\"exitcode\":0}}");
        assertEquals("host name set to renamed-host", agent(in(InstanceState.RUNNING), cell)
                .changeGuestHostname("vm-1", "renamed-host", OWNER));
        assertEquals(List.of("i-1=renamed-host"), recorded);
    }

    @Test
    void aFailedHostNameChangeRecordsNothing() {
        GuestAgentChannelTest.FakeCell cell = answering("{\"return\":{\"pid\":7}}",
                "{\"return\":{\"exited\":true,\"exitcode\":1}}");
        assertThrows(SkiffException.class, () -> agent(in(InstanceState.RUNNING), cell)
                .changeGuestHostname("vm-1", "renamed-host", OWNER));
        assertTrue(recorded.isEmpty());
    }

    /** The Core's instance service, knowing one instance (by id or name), which only its owner may see. */
    private record OneInstance(InstanceStatus instance) implements InstanceService {
        @Override
        public InstanceStatus get(String idOrName) {
            if (!idOrName.equals(instance.id()) && !idOrName.equals(instance.spec().name())) {
                throw SkiffException.notFound("instance", idOrName);
            }
            return instance;
        }

        @Override
        public InstanceStatus get(String idOrName, AuthenticatedUser caller) {
            InstanceStatus found = get(idOrName);
            if (!caller.name().equals(found.owner())) {
                throw SkiffException.notFound("instance", idOrName);
            }
            return found;
        }

        @Override
        public List<InstanceStatus> list() {
            return List.of(instance);
        }

        @Override
        public List<InstanceStatus> list(AuthenticatedUser caller) {
            return list().stream().filter(i -> caller.name().equals(i.owner())).toList();
        }

        @Override
        public TaskInfo create(InstanceSpec spec, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InstanceDefaults defaults() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo start(String idOrName, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo stop(String idOrName, boolean force, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo restart(String idOrName, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TaskInfo delete(String idOrName, boolean force, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InstanceStatus modify(String idOrName, String name, Integer cores, Long memoryBytes,
                                     AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String consoleLog(String idOrName, int maxBytes, AuthenticatedUser caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ConsoleEndpoint consoleEndpoint(String idOrName) {
            throw new UnsupportedOperationException();
        }
    }
}
