package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.libvirt.LibvirtErrors;
import org.libvirt.LibvirtException;

/**
 * Commands to the QEMU guest agent of a running domain ({@code virDomainQemuAgentCommand} on its
 * {@code org.qemu.guest_agent.0} channel). A failure is told apart by libvirt's error number and domain
 * ({@link LibvirtLastError}), never by its message, and becomes a {@code CONFLICT} on {@code guestAgent}:
 * <ul>
 *   <li>{@code no-guest-agent} — nobody answers on the channel: {@code VIR_ERR_AGENT_UNRESPONSIVE} (not connected,
 *   timed out, gone), {@code VIR_ERR_AGENT_UNSYNCED}, {@code VIR_ERR_ARGUMENT_UNSUPPORTED} (the domain has no
 *   channel), or a driver that cannot talk to agents at all ({@code VIR_ERR_NO_SUPPORT}, e.g. the test driver);</li>
 *   <li>{@code guest-agent-failed} — the agent answered, with an error: {@code VIR_ERR_INTERNAL_ERROR} raised by
 *   the QEMU driver ({@code VIR_FROM_QEMU}), which is how libvirt reports an agent's {@code error} reply (libvirt
 *   names the command, never its arguments).</li>
 * </ul>
 * Anything else is libvirt's error as usual ({@link LibvirtErrors#toSkiff}).
 */
final class GuestAgentCommands {

    private final OwnedDomains domains;

    GuestAgentCommands(OwnedDomains domains) {
        this.domains = domains;
    }

    /** @return the agent's JSON answer */
    String command(String instanceId, String command, int timeoutSeconds) {
        String name = DomainXml.domainName(instanceId);
        DomainXml.checkInstanceId(instanceId);
        try {
            return domains.connection().call(c -> {
                OwnedDomains.Owned owned = domains.lookupOwned(c, instanceId);
                if (owned == null) {
                    throw SkiffException.notFound("instance", "instance", instanceId);
                }
                try {
                    if (owned.domain().isActive() != 1) {
                        throw SkiffException.conflict("instance", "instance " + instanceId + " is not running");
                    }
                    try {
                        return owned.domain().qemuAgentCommand(command, Math.max(1, timeoutSeconds), 0);
                    } catch (LibvirtException e) {
                        // now, before freeing the domain clears libvirt's last error
                        SkiffException agent = agentFailure(instanceId, LibvirtLastError.read(),
                                LibvirtErrors.reason(e));
                        if (agent != null) {
                            throw agent;
                        }
                        throw e;
                    }
                } finally {
                    owned.domain().free();
                }
            });
        } catch (LibvirtException e) {
            throw LibvirtErrors.toSkiff("instance " + instanceId, "guest agent command on domain " + name, e);
        }
    }

    /**
     * @param reason libvirt's message, for the sentence only
     * @return the {@code CONFLICT} for an error of the agent, or {@code null} when the error is not the agent's
     */
    static SkiffException agentFailure(String instanceId, LibvirtLastError error, String reason) {
        return switch (error.code()) {
            case LibvirtLastError.AGENT_UNRESPONSIVE, LibvirtLastError.AGENT_UNSYNCED,
                    LibvirtLastError.ARGUMENT_UNSUPPORTED, LibvirtLastError.NO_SUPPORT ->
                    new SkiffException(SkiffException.Kind.CONFLICT, "no-guest-agent", "the guest of instance "
                            + instanceId + " does not answer the QEMU guest agent (qemu-guest-agent not installed or "
                            + "not running in the guest): " + reason, "guestAgent");
            case LibvirtLastError.INTERNAL_ERROR -> error.domain() != LibvirtLastError.FROM_QEMU ? null
                    : new SkiffException(SkiffException.Kind.CONFLICT, "guest-agent-failed", "the guest agent of "
                            + "instance " + instanceId + " refused the command: " + reason, "guestAgent");
            default -> null;
        };
    }
}
