package io.skiff.core.internal.image;

import io.skiff.core.internal.InventoryLock;
import io.skiff.core.internal.Visibility;
import io.skiff.core.internal.json.Json;
import io.skiff.core.internal.state.JournalStateStore;
import io.skiff.core.internal.task.JournaledTaskEngine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/** The image and media catalogues on a real journaled state store and task engine, for the catalogue tests. */
final class Catalogs implements AutoCloseable {
    final JournalStateStore store;
    final JournaledTaskEngine engine;
    final ImageCatalog images;
    final MediaCatalog media;

    /** @param visibility who sees what ({@code new Visibility(() -> null)}: everyone everything) */
    Catalogs(Path dir, Visibility visibility) throws IOException {
        store = new JournalStateStore(dir.resolve("state"), Json.newObjectMapper(), 0);
        engine = new JournaledTaskEngine(store, 2, Clock.systemUTC());
        engine.start();
        images = new ImageCatalog(store, new InventoryLock(), engine, dir.resolve("images"), Clock.systemUTC(),
                visibility);
        media = new MediaCatalog(store, new InventoryLock(), engine, dir.resolve("media"), Clock.systemUTC(),
                visibility);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        store.close();
    }
}
