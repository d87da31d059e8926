package io.skiff.core.internal.task;

import io.skiff.api.task.UndoHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link UndoHandler}s known to the engine, by step kind. Handlers come and go at any time (OSGi services of
 * other bundles); the engine looks one up only when it needs it, to roll back a task left unfinished by a restart.
 */
public final class UndoHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(UndoHandlers.class);

    private final Map<String, UndoHandler> byKind = new ConcurrentHashMap<>();

    /** Registers a handler; a later handler of the same kind replaces an earlier one. */
    public void add(UndoHandler handler) {
        String kind = Objects.requireNonNull(handler.kind(), "kind");
        UndoHandler previous = byKind.put(kind, handler);
        if (previous != null && previous != handler) {
            LOG.warn("undo handler {} replaces {} for step kind '{}'", handler, previous, kind);
        }
    }

    /** Unregisters a handler, unless another one has replaced it in the meantime. */
    public void remove(UndoHandler handler) {
        String kind = handler.kind();
        if (kind != null) {
            byKind.remove(kind, handler);
        }
    }

    /** @return the handler for this step kind, if one is registered */
    public Optional<UndoHandler> find(String kind) {
        return kind == null ? Optional.empty() : Optional.ofNullable(byKind.get(kind));
    }
}
