package io.skiff.api.cell;

/**
 * One QEMU guest agent command for a running instance ({@link CellProtocol#GUEST_AGENT}); the Core builds it and
 * never puts a plain password in it.
 *
 * @param instanceId instance id
 * @param command the agent's JSON command
 * @param timeoutSeconds how long the agent may take
 */
public record GuestAgentRequest(String instanceId, String command, int timeoutSeconds) {

    @Override
    public String toString() {
        return "GuestAgentRequest[instanceId=" + instanceId + ", command=***, timeoutSeconds=" + timeoutSeconds + "]";
    }
}
