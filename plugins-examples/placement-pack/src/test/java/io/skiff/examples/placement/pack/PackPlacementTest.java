package io.skiff.examples.placement.pack;

import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.model.InstanceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PackPlacementTest {
    private final PackPlacement pack = new PackPlacement();
    private final InstanceSpec spec = new InstanceSpec("vm", "p", null, 1, 64L << 20, List.of(), "linux-virtio",
            null, false);

    private static Cell cell(String id) {
        return new Cell(id, id, "127.0.0.1", "p", true, CellStatus.ONLINE, null, null, null);
    }

    @Test
    void fillsTheFirstCellWhileItHasRoom() {
        // the scheduler passes only cells with room: while cell-a has some, it gets every instance
        assertEquals("cell-a", pack.choose(spec, List.of(cell("cell-c"), cell("cell-a"), cell("cell-b")))
                .orElseThrow().id());
        assertEquals("cell-a", pack.choose(spec, List.of(cell("cell-b"), cell("cell-a"))).orElseThrow().id());
    }

    @Test
    void movesOnWhenTheFirstIsFull() {
        assertEquals("cell-b", pack.choose(spec, List.of(cell("cell-c"), cell("cell-b"))).orElseThrow().id());
    }

    @Test
    void nothingWithoutCandidates() {
        assertEquals(Optional.empty(), pack.choose(spec, List.of()));
    }
}
