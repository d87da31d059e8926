package io.skiff.core.internal;

import org.osgi.service.component.annotations.Component;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises check-then-change operations across pools and cells (e.g. "delete a pool that has no cells"
 * against "add a cell to that pool"), which touch each other's records.
 */
@Component(service = InventoryLock.class)
public class InventoryLock {
    private final ReentrantLock lock = new ReentrantLock();

    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
