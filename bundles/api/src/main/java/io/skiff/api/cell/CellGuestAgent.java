package io.skiff.api.cell;

/** The QEMU guest agent inside a cell's running instances. */
public interface CellGuestAgent {

    /** Runs one guest agent command and returns its answer. */
    @CellRequest(value = CellProtocol.GUEST_AGENT, changes = false)
    GuestAgentReply command(GuestAgentRequest request);
}
