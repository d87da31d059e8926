package io.skiff.api.cell;

/**
 * The guest agent's answer.
 *
 * @param instanceId instance id
 * @param reply the agent's JSON answer
 */
public record GuestAgentReply(String instanceId, String reply) {
}
