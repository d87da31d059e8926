package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellCertificates;
import io.skiff.api.cell.CellDomains;
import io.skiff.api.cell.CellGuestAgent;
import io.skiff.api.cell.CellMigrations;
import io.skiff.api.cell.CellSnapshots;
import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.CellReplies;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.cell.CellClients;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Requests from the Core to a cell through the typed Core–Cell contract: a call is a method of a capability interface
 * of skiff-api ({@link #volumes}, {@link #domains}, {@link #snapshots}, {@link #guestAgent}, ...), so the compiler
 * ties it to the cell method that answers it. Called on such a proxy, it waits for the reply; passed to
 * {@link #send}, it is sent without waiting (at most the window's number at work per cell, the others queued in
 * order) and its reply comes as a future. An error the cell raised comes back as the same
 * {@link io.skiff.api.service.SkiffException} ({@link io.skiff.api.cell.CellFailure}: kind, code and field as the cell
 * gave them); a cell that cannot be reached, does not answer in time or is not ready yet gives an
 * {@code UNAVAILABLE} one, which the task engine treats as worth a retry. A settings change builds new calls (and
 * windows); requests already queued in the old ones still go out.
 */
public class CellCalls {
    /** The code of a cell's error for a disk index the instance does not have (remove, usage, resize, ...). */
    public static final String NO_SUCH_DISK = "no-such-disk";
    /** Requests sent without waiting that may be at work on one cell at a time, unless configured. */
    public static final int DEFAULT_WINDOW = 16;
    private final ClusterTransport transport;
    private final Duration timeout;
    private final CellClients clients;
    private final CellRequestWindows windows;

    public CellCalls(ClusterTransport transport, Duration timeout) {
        this(transport, timeout, DEFAULT_WINDOW);
    }

    /**
     * @param window how many requests sent without waiting ({@link #send}) may be at work on one cell at a time;
     *     further ones wait in the Core, in order, without holding a thread
     */
    public CellCalls(ClusterTransport transport, Duration timeout, int window) {
        this.transport = transport;
        this.timeout = timeout;
        this.windows = new CellRequestWindows(window);
        this.clients = new CellClients(this::call);
    }

    /** @return the volumes of the named cell's instances */
    public CellVolumes volumes(String cell) {
        return clients.of(CellVolumes.class, cell);
    }

    /** @return the domains of the named cell's instances */
    public CellDomains domains(String cell) {
        return clients.of(CellDomains.class, cell);
    }

    /** @return the snapshots of the named cell's instances */
    public CellSnapshots snapshots(String cell) {
        return clients.of(CellSnapshots.class, cell);
    }

    /** @return the guest agents of the named cell's running instances */
    public CellGuestAgent guestAgent(String cell) {
        return clients.of(CellGuestAgent.class, cell);
    }

    /** @return the moves of the named cell's instances to and from other cells */
    public CellMigrations migrations(String cell) {
        return clients.of(CellMigrations.class, cell);
    }

    /** @return the named cell's certificates for migration TLS */
    public CellCertificates certificates(String cell) {
        return clients.of(CellCertificates.class, cell);
    }

    /**
     * Sends one request without waiting for its reply: {@code call} calls one method of {@code capability} (e.g.
     * {@code v -> v.prepareDisks(spec)}), which names the request; the returned future completes with the reply, or
     * fails with the errors {@link #volumes} and the others raise.
     */
    @SuppressWarnings("unchecked")
    public <T, R> CompletableFuture<R> send(String cell, Class<T> capability, Function<T, R> call) {
        CellClients.Call request = clients.capture(capability, call::apply);
        return windows.submit(cell, () -> {
            CompletableFuture<R> reply;
            try {
                reply = (CompletableFuture<R>) transport.request(cell, request.type(), request.body(),
                        request.replyType(), timeout);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            return CellReplies.of(reply, cell, request.type(), timeout);
        });
    }

    private <R> R call(String cell, String type, Object body, Class<R> reply) {
        return CellReplies.await(transport.request(cell, type, body, reply, timeout), cell, type, timeout);
    }
}
