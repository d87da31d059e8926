package io.skiff.core.internal.instance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellRequestWindowsTest {

    @Test
    void atMostTheWindowIsAtWorkPerCellAndTheRestGoOutInOrder() throws Exception {
        CellRequestWindows windows = new CellRequestWindows(2);
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<String>> atCell = new ArrayList<>();
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "a" + i;
            replies.add(windows.submit("cell-a", () -> {
                sent.add(name);
                CompletableFuture<String> work = new CompletableFuture<>();
                atCell.add(work);
                return work;
            }));
        }
        CompletableFuture<String> other = windows.submit("cell-b", () -> {
            sent.add("b0");
            return CompletableFuture.completedFuture("b0 done");
        });
        assertEquals("b0 done", other.get(5, TimeUnit.SECONDS), "another cell has its own window");
        assertEquals(List.of("a0", "a1", "b0"), sent);
        assertEquals(3, windows.waiting("cell-a"));

        atCell.get(1).complete("a1 done");
        assertEquals("a1 done", replies.get(1).get(5, TimeUnit.SECONDS));
        assertEquals(List.of("a0", "a1", "b0", "a2"), sent, "the first waiting one goes out");
        atCell.get(0).completeExceptionally(new IllegalStateException("refused"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> replies.get(0).get(5, TimeUnit.SECONDS));
        assertEquals("refused", e.getCause().getMessage());
        atCell.get(2).complete("a2 done");
        atCell.get(3).complete("a3 done");
        atCell.get(4).complete("a4 done");
        assertEquals("a4 done", replies.get(4).get(5, TimeUnit.SECONDS));
        assertEquals(0, windows.waiting("cell-a"));
    }

    @Test
    void manyRequestsThatFailAtOnceDoNotRecurse() throws Exception {
        CellRequestWindows windows = new CellRequestWindows(1);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> held = windows.submit("cell-a", () -> first);
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            replies.add(windows.submit("cell-a", () -> CompletableFuture.failedFuture(new IllegalStateException(
                    "cell unreachable"))));
        }
        first.complete("done");
        assertEquals("done", held.get(5, TimeUnit.SECONDS));
        assertTrue(replies.stream().allMatch(CompletableFuture::isCompletedExceptionally));
        assertThrows(IllegalArgumentException.class, () -> new CellRequestWindows(0));
    }
}
