package io.skiff.core.internal.state;

import io.skiff.api.model.Timings;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;
import io.skiff.core.internal.json.Json;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.Optional;

/**
 * Publishes a {@link JournalStateStore} as the Core's {@link StateStore} service, configured through
 * {@code etc/io.skiff.core.state.cfg}. A configuration change re-opens the store (deactivate, activate).
 */
@Component(service = StateStore.class, configurationPid = "io.skiff.core.state")
@Designate(ocd = StateStoreComponent.Config.class)
public class StateStoreComponent implements StateStore {

    @ObjectClassDefinition(name = "Skiff state store",
            description = "The Core's journal and snapshot files.")
    public @interface Config {

        @AttributeDefinition(name = "Data directory",
                description = "Where the journal and snapshots live; empty means ${karaf.data}/skiff/state.")
        String dataDir() default "";

        @AttributeDefinition(name = "Compact every",
                description = "Journal entries after which the state is compacted into snapshot files; 0 never.")
        int compactEvery() default 10000;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StateStoreComponent.class);

    private volatile JournalStateStore store;

    @Activate
    void activate(Config config) throws IOException {
        store = new JournalStateStore(dataDir(config.dataDir()), Json.newObjectMapper(), config.compactEvery());
    }

    @Deactivate
    void deactivate() {
        JournalStateStore s = store;
        store = null;
        if (s != null) {
            s.close();
        }
    }

    static Path dataDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        String karafData = System.getProperty("karaf.data");
        if (karafData == null) {
            Path fallback = Paths.get("data").toAbsolutePath();
            LOG.warn("karaf.data is not set; keeping the state under {}", fallback);
            karafData = fallback.toString();
        }
        return Paths.get(karafData, "skiff", "state");
    }

    private JournalStateStore store() {
        JournalStateStore s = store;
        if (s == null) {
            throw new IllegalStateException("state store is not active");
        }
        return s;
    }

    @Override
    public void commit(List<StateChange> changes) {
        store().commit(changes);
    }

    @Override
    public CompletionStage<Void> commitAsync(List<StateChange> changes) {
        return store().commitAsync(changes);
    }

    @Override
    public Optional<Timings> syncTimings() {
        return store().syncTimings();
    }

    @Override
    public <T> Optional<T> get(String type, String id, Class<T> cls) {
        return store().get(type, id, cls);
    }

    @Override
    public <T> List<T> list(String type, Class<T> cls) {
        return store().list(type, cls);
    }
}
