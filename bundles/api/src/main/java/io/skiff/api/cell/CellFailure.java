package io.skiff.api.cell;

import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.RemoteException;

/**
 * An error a cell raised while answering a request, raised again on the caller as the same {@link SkiffException}
 * (kind, code and field as the cell gave them), with the cell's own message kept apart. {@link CellReplies#await}
 * throws it.
 */
public class CellFailure extends SkiffException {
    private static final long serialVersionUID = 1L;
    private final String cellMessage;

    public CellFailure(String cell, String type, RemoteException remote) {
        super(remote.kind(), remote.code(), "cell " + cell + " could not " + type + ": " + remote.remoteMessage(),
                remote.field());
        this.cellMessage = remote.remoteMessage();
    }

    /** @return the message as the cell wrote it */
    public String cellMessage() {
        return cellMessage;
    }
}
