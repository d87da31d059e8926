package io.skiff.core.internal.storage;

import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellStatus;
import io.skiff.api.service.SkiffException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Has a cell check a storage pool before the Core keeps it: the online cells are asked in turn (by id) until one
 * whose backend of the pool's type answers. Its {@code INVALID} (an unreachable server, a missing export, naming
 * {@code server} or {@code export}) is the Core's answer; a cell without that backend, or one that cannot be reached,
 * passes the question to the next. When no online cell could answer, the pool is refused as {@code CONFLICT}
 * (code {@value #NO_CELL}), saying why each cell could not.
 */
final class StoragePoolCheck {
    static final String NO_CELL = "no-cell-to-check";
    private static final Logger LOG = LoggerFactory.getLogger(StoragePoolCheck.class);

    private final Supplier<List<Cell>> cells;
    private final Function<String, CellVolumes> volumes;

    /**
     * @param cells the cells as the Core knows them now
     * @param volumes the volumes capability of a named cell
     */
    StoragePoolCheck(Supplier<List<Cell>> cells, Function<String, CellVolumes> volumes) {
        this.cells = cells;
        this.volumes = volumes;
    }

    /** @return the cell that checked the pool */
    String check(StoragePoolDefinition definition) {
        List<String> why = new ArrayList<>();
        List<Cell> online = cells.get().stream().filter(c -> c.status() == CellStatus.ONLINE)
                .sorted(Comparator.comparing(Cell::id)).toList();
        for (Cell cell : online) {
            try {
                volumes.apply(cell.id()).checkStoragePool(definition);
                LOG.info("storage pool {} ({}) checked by cell {}", definition.name(), definition.provider(),
                        cell.id());
                return cell.id();
            } catch (SkiffException e) {
                if (e.kind() == SkiffException.Kind.INVALID) {
                    throw e;
                }
                why.add(cell.id() + ": " + e.getMessage());
            }
        }
        throw new SkiffException(SkiffException.Kind.CONFLICT, NO_CELL, "no online cell can check storage pool '"
                + definition.name() + "' of type " + definition.provider() + (why.isEmpty() ? " (no cell is online)"
                : " (" + String.join("; ", why) + ")") + "; install the " + definition.provider()
                + " storage backend on a cell of the pools that will use it", "type");
    }
}
