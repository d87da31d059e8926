package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainSpec;
import io.skiff.libvirt.LibvirtConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a failed guest agent command is told apart: by libvirt's error number and domain, whatever libvirt's message
 * says (or in which language). The answers of a real agent are checked on {@code qemu:///system} in
 * {@link LiveDevicesQemuTest} and, with a guest that runs qemu-guest-agent, by {@code GuestOpsIT}.
 */
@DisplayName("guest agent commands: errors by libvirt's number, not its message")
class GuestAgentCommandsTest {

    private static final String SOME_MESSAGE = "ein Text, der nichts verrät";

    @Test
    @DisplayName("nobody on the channel (unresponsive, unsynced, no channel, no agent support): no-guest-agent")
    void noAgent() {
        for (int code : new int[] {LibvirtLastError.AGENT_UNRESPONSIVE, LibvirtLastError.AGENT_UNSYNCED,
                LibvirtLastError.ARGUMENT_UNSUPPORTED, LibvirtLastError.NO_SUPPORT}) {
            SkiffException e = GuestAgentCommands.agentFailure("i-1", new LibvirtLastError(code, 0, SOME_MESSAGE),
                    SOME_MESSAGE);
            assertEquals(SkiffException.Kind.CONFLICT, e.kind(), "code " + code);
            assertEquals("no-guest-agent", e.code(), "code " + code);
            assertEquals("guestAgent", e.field());
            assertTrue(e.getMessage().contains("does not answer the QEMU guest agent")
                    && e.getMessage().contains(SOME_MESSAGE), e.getMessage());
        }
    }

    @Test
    @DisplayName("an internal error of the QEMU driver is the agent's error reply: guest-agent-failed")
    void agentRefused() {
        SkiffException e = GuestAgentCommands.agentFailure("i-1", new LibvirtLastError(LibvirtLastError.INTERNAL_ERROR,
                LibvirtLastError.FROM_QEMU, SOME_MESSAGE), SOME_MESSAGE);
        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
        assertEquals("guest-agent-failed", e.code());
        assertEquals("guestAgent", e.field());
        assertTrue(e.getMessage().contains("guest agent of instance i-1 refused the command"), e.getMessage());
    }

    @Test
    @DisplayName("anything else is not the agent's: left to the usual mapping of libvirt's errors")
    void otherErrors() {
        // an internal error from elsewhere in libvirt, a stopped domain, a lost connection, no error at all
        for (LibvirtLastError error : List.of(new LibvirtLastError(LibvirtLastError.INTERNAL_ERROR, 0, "agent"),
                new LibvirtLastError(55, LibvirtLastError.FROM_QEMU, "guest agent"),
                new LibvirtLastError(39, 7, "agent"), new LibvirtLastError(0, 0, null))) {
            assertNull(GuestAgentCommands.agentFailure("i-1", error, "agent"), error.toString());
        }
    }

    @Test
    @DisplayName("test driver: no agent support is read from libvirt's error number after libvirt-java threw")
    void testDriverHasNoAgent() {
        String id = "ga" + UUID.randomUUID().toString().substring(0, 8);
        LibvirtHypervisor hypervisor = new LibvirtHypervisor();
        hypervisor.open("test:///default", "tcg", Duration.ofSeconds(5), LibvirtConnection.LIBVIRT);
        try {
            SkiffException missing = assertThrows(SkiffException.class,
                    () -> hypervisor.guestAgentCommand(id, "{\"execute\":\"guest-ping\"}", 1));
            assertEquals(SkiffException.Kind.NOT_FOUND, missing.kind());

            hypervisor.define(new DomainSpec(id, "agent", 1, 64L * 1024 * 1024, DomainXmlTest.LINUX_VIRTIO,
                    List.of(), List.of(), "/tmp/" + id + ".log"));
            SkiffException stopped = assertThrows(SkiffException.class,
                    () -> hypervisor.guestAgentCommand(id, "{\"execute\":\"guest-ping\"}", 1));
            assertEquals(SkiffException.Kind.CONFLICT, stopped.kind());
            assertEquals("instance", stopped.field());

            hypervisor.start(id);
            SkiffException none = assertThrows(SkiffException.class,
                    () -> hypervisor.guestAgentCommand(id, "{\"execute\":\"guest-ping\"}", 1));
            assertEquals(SkiffException.Kind.CONFLICT, none.kind(), none.getMessage());
            assertEquals("no-guest-agent", none.code(), none.getMessage());
            assertEquals("guestAgent", none.field());
        } finally {
            hypervisor.destroy(id);
            hypervisor.undefine(id);
            hypervisor.close();
        }
    }
}
