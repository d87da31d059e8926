package io.skiff.api.cell;

import io.skiff.api.spi.ConsoleEndpoint;

/** The domains of a cell's instances: defined, started, stopped, undefined, their media drive, QoS and console. */
public interface CellDomains {

    /** Defines (or redefines) the domain from the instance's file and this spec. */
    @CellRequest(CellProtocol.DEFINE)
    Ack define(CellInstanceSpec spec);

    /** Starts the domain (defined again from the cell's file first). */
    @CellRequest(CellProtocol.START)
    Ack start(InstanceAction action);

    /** Stops the domain, gracefully within the time-out or forced. */
    @CellRequest(CellProtocol.STOP)
    Ack stop(InstanceAction action);

    /** Removes the domain (destroying it first); a missing domain counts as removed. */
    @CellRequest(CellProtocol.UNDEFINE)
    Ack undefine(InstanceAction action);

    /** Puts an ISO into the media drive or empties it. */
    @CellRequest(CellProtocol.CHANGE_MEDIA)
    Ack changeMedia(MediaChange request);

    /** Applies a QoS to the running domain where possible. */
    @CellRequest(CellProtocol.QOS_APPLY)
    QosApplied applyQos(QosRequest request);

    /** The tail of the instance's serial console. */
    @CellRequest(value = CellProtocol.CONSOLE_LOG, changes = false)
    ConsoleLog consoleLog(ConsoleLogRequest request);

    /** Where the running instance's VNC server listens, with its password. */
    @CellRequest(value = CellProtocol.CONSOLE, changes = false)
    ConsoleEndpoint console(InstanceAction action);
}
