package io.skiff.core.internal.state;

import java.io.IOException;

/**
 * A state file cannot be read and the damage is not the harmless kind (a torn last line left by a crash while
 * writing an entry that was never acknowledged). The store refuses to start rather than silently lose or reorder
 * acknowledged changes; an operator has to look at the file.
 */
public class JournalCorruptedException extends IOException {

    private static final long serialVersionUID = 1L;

    public JournalCorruptedException(String message) {
        super(message);
    }

    public JournalCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
