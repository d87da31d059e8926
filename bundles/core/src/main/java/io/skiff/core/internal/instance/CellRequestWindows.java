package io.skiff.core.internal.instance;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Flow control of the requests sent to cells without waiting ({@link CellCalls#send}): at most {@code size} are at
 * work on one cell at a time; the others wait in the Core, in the order they were sent, and go out as replies come
 * back. So a burst of thousands of creates neither starts thousands of threads on a cell nor lets every task's first
 * request pass every other task's last one.
 */
final class CellRequestWindows {
    private final int size;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @param size requests at work per cell at most, at least 1 */
    CellRequestWindows(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("window size must be at least 1, not " + size);
        }
        this.size = size;
    }

    /**
     * @param cell the cell the request goes to
     * @param send sends it (called once the cell's window has room, on the thread that made room)
     * @return completed as the sent request's reply
     */
    <R> CompletableFuture<R> submit(String cell, Supplier<CompletableFuture<R>> send) {
        CompletableFuture<R> reply = new CompletableFuture<>();
        Window window = windows.computeIfAbsent(cell, c -> new Window());
        window.offer(() -> {
            CompletableFuture<R> sent;
            try {
                sent = send.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((value, error) -> {
                window.done();
                if (error == null) {
                    reply.complete(value);
                } else {
                    reply.completeExceptionally(error);
                }
            });
        });
        return reply;
    }

    /** @return requests waiting in the Core for room on {@code cell} */
    int waiting(String cell) {
        Window window = windows.get(cell);
        return window == null ? 0 : window.waiting();
    }

    /**
     * One cell's requests: how many are at work, and those waiting for room. Requests are sent by one thread at a time
     * in a loop ({@link #drain}), so that replies that come back at once (a cell that cannot be reached) do not
     * recurse.
     */
    private final class Window {
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        private int atWork;
        private boolean draining;

        void offer(Runnable send) {
            synchronized (this) {
                waiting.addLast(send);
            }
            drain();
        }

        void done() {
            synchronized (this) {
                atWork--;
            }
            drain();
        }

        private void drain() {
            synchronized (this) {
                if (draining) {
                    return; // the thread draining sees the room made here before it stops
                }
                draining = true;
            }
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (atWork >= size || waiting.isEmpty()) {
                        draining = false;
                        return;
                    }
                    next = waiting.pollFirst();
                    atWork++;
                }
                next.run();
            }
        }

        synchronized int waiting() {
            return waiting.size();
        }
    }
}
