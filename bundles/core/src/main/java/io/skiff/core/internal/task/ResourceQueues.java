package io.skiff.core.internal.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One FIFO queue per resource key. An item may run when it is at the head of the queue of every key it holds.
 * Items are added to all their queues at once under one lock, so every queue is ordered by the same global
 * submission order; the earliest waiting item is therefore always at the head of all its queues, and tasks holding
 * several keys can never wait on each other in a cycle.
 *
 * @param <T> the queued item, compared by identity
 */
final class ResourceQueues<T> {

    private final Map<String, ArrayDeque<T>> queues = new HashMap<>();
    private final Map<T, Set<String>> keysOf = new IdentityHashMap<>();

    /**
     * @return whether the item may run now (it holds no key, or is at the head of all its queues)
     */
    synchronized boolean enqueue(T item, Set<String> keys) {
        keysOf.put(item, Set.copyOf(keys));
        for (String key : keys) {
            queues.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(item);
        }
        return ready(item);
    }

    /**
     * Removes a finished item from the head of its queues.
     *
     * @return the items that may run now because of it, in queue order
     */
    synchronized List<T> release(T item) {
        Set<String> keys = keysOf.remove(item);
        if (keys == null) {
            return List.of();
        }
        Set<T> candidates = new LinkedHashSet<>();
        for (String key : keys) {
            ArrayDeque<T> queue = queues.get(key);
            if (queue == null) {
                continue;
            }
            if (queue.peekFirst() == item) {
                queue.pollFirst();
            } else {
                queue.remove(item);
            }
            if (queue.isEmpty()) {
                queues.remove(key);
            } else {
                candidates.add(queue.peekFirst());
            }
        }
        List<T> ready = new ArrayList<>();
        for (T candidate : candidates) {
            if (ready(candidate)) {
                ready.add(candidate);
            }
        }
        return ready;
    }

    /** @return the number of items queued or running */
    synchronized int size() {
        return keysOf.size();
    }

    private boolean ready(T item) {
        for (String key : keysOf.get(item)) {
            if (queues.get(key).peekFirst() != item) {
                return false;
            }
        }
        return true;
    }
}
