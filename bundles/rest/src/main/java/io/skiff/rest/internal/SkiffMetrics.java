package io.skiff.rest.internal;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.skiff.api.model.Cell;
import io.skiff.api.model.CellResources;
import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.model.Timings;
import io.skiff.api.service.CellService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.MetricsService;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.TaskEngine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operator's metrics, in one Prometheus registry of this bundle (the Prometheus Java client is copied into it):
 * what the Core knows counted when scraped (instances by state, pool and cell; tasks by name and state; cells by
 * status, and each cell's CPUs, memory and disk), REST request durations by method, route and status (recorded by
 * {@link RequestTimingFilter}), the durations of finished tasks, of task steps (timed by the engine as they end) and of
 * the journal's fsyncs (timed by the state store), and the JVM's own metrics. Served by
 * {@link MetricsResource} at {@code GET /api/v1/metrics}, and as the {@link MetricsService} to the shell
 * ({@code skiff:metrics}).
 */
@Component(service = {SkiffMetrics.class, MetricsService.class})
public class SkiffMetrics implements MetricsService {
    /** Upper bounds of the request duration buckets, in seconds. */
    static final double[] REQUEST_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Upper bounds of the task duration buckets, in seconds. */
    static final double[] TASK_SECONDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

    @Reference
    private InstanceService instances;

    @Reference
    private CellService cells;

    @Reference
    private TaskEngine engine;

    @Reference
    private StateStore store;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private Histogram requests;
    private Histogram taskDurations;
    /** the finished tasks already counted in {@link #taskDurations}: ids the engine still lists */
    private final Set<String> counted = new HashSet<>();
    /** what the Core holds, read once per scrape; the gauges' callbacks count from it */
    private Snapshot now = new Snapshot(Map.of(), List.of(), List.of());

    private record Snapshot(Map<InstanceFilter, Long> instances, List<TaskInfo> tasks, List<Cell> cells) {
    }

    @Activate
    void activate() {
        JvmMetrics.builder().register(registry);
        requests = Histogram.builder().name("skiff_http_request_duration_seconds")
                .help("REST requests by method, matched route and status").labelNames("method", "route", "status")
                .classicOnly().classicUpperBounds(REQUEST_SECONDS).withoutExemplars().register(registry);
        taskDurations = Histogram.builder().name("skiff_task_duration_seconds")
                .help("Finished tasks, from start to end, by task name and final state").labelNames("name", "state")
                .classicOnly().classicUpperBounds(TASK_SECONDS).withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("skiff_instances").help("Instances by state, compute pool and cell")
                .labelNames("state", "pool", "cell").callback(cb -> now.instances().forEach((k, n) -> cb.call(n,
                        lower(k.state()), text(k.pool()), text(k.cell())))).register(registry);
        countGauge("skiff_tasks", "Tasks the Core keeps, by task name and state", () -> now.tasks(),
                t -> new TaskLabels(t.name(), t.state()), k -> new String[] {k.name(), lower(k.state())},
                "name", "state");
        countGauge("skiff_cells", "Cells by status (online, offline, ...)", () -> now.cells(), Cell::status,
                status -> new String[] {lower(status)}, "status");
        registry.register(() -> histogram("skiff_journal_sync_duration_seconds",
                "How long each group commit of the Core's journal took to reach the disk (fsync)",
                store.syncTimings().map(t -> Map.of(Labels.EMPTY, t)).orElse(Map.of())));
        registry.register(() -> histogram("skiff_task_step_duration_seconds",
                "Task steps, from start to applied or failed, by step kind and outcome", stepSeries()));
        GaugeWithCallback.builder().name("skiff_task_steps_at_work")
                .help("Steps of tasks waiting for a cell's answer (sent, or waiting for room); they hold no engine thread")
                .callback(cb -> cb.call(engine.stepsAtWork())).register(registry);
        cellGauge("skiff_cell_cpus", "CPUs of each cell", r -> r.cpuCount());
        cellGauge("skiff_cell_memory_total_bytes", "Memory of each cell", r -> r.memoryTotalBytes());
        cellGauge("skiff_cell_memory_available_bytes", "Memory available on each cell", r -> r.memoryAvailableBytes());
        cellGauge("skiff_cell_disk_total_bytes", "Disk of each cell's instance storage", r -> r.diskTotalBytes());
        cellGauge("skiff_cell_disk_free_bytes", "Free disk of each cell's instance storage", r -> r.diskFreeBytes());
        cellGauge("skiff_cell_load_average", "1-minute load average of each cell", CellResources::loadAverage);
    }

    private record TaskLabels(String name, TaskState state) {
    }

    /**
     * A gauge of how many items have each combination of labels: the items are counted by {@code key} (cheap to
     * compare) and each distinct key is made into label values once.
     */
    private <T, K> void countGauge(String name, String help, Supplier<List<T>> items, Function<T, K> key,
                                   Function<K, String[]> labels, String... labelNames) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames).callback(cb -> {
            Map<K, long[]> counts = new HashMap<>();
            for (T item : items.get()) {
                counts.computeIfAbsent(key.apply(item), k -> new long[1])[0]++;
            }
            counts.forEach((k, n) -> cb.call(n[0], labels.apply(k)));
        }).register(registry);
    }

    private void cellGauge(String name, String help, Function<CellResources, Number> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("cell").callback(cb -> {
            for (Cell c : now.cells()) {
                if (c.resources() != null) {
                    cb.call(value.apply(c.resources()).doubleValue(), c.id());
                }
            }
        }).register(registry);
    }

    /** The engine's step timings ("kind/outcome") as series labelled {@code kind} and {@code outcome}. */
    private Map<Labels, Timings> stepSeries() {
        Map<Labels, Timings> series = new LinkedHashMap<>();
        engine.stepTimings().forEach((kindAndOutcome, timings) -> {
            int slash = kindAndOutcome.lastIndexOf('/');
            series.put(Labels.of("kind", slash < 0 ? kindAndOutcome : kindAndOutcome.substring(0, slash),
                    "outcome", slash < 0 ? "" : kindAndOutcome.substring(slash + 1)), timings);
        });
        return series;
    }

    /** A histogram of timings the Core counted itself, one series per label set. */
    static HistogramSnapshot histogram(String name, String help, Map<Labels, Timings> series) {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
        series.forEach((labels, t) -> points.add(new HistogramSnapshot.HistogramDataPointSnapshot(
                ClassicHistogramBuckets.of(t.upperBoundsSeconds().stream().mapToDouble(Double::doubleValue).toArray(),
                        t.counts().stream().mapToLong(Long::longValue).toArray()),
                t.sumSeconds(), labels, Exemplars.EMPTY, 0L)));
        return new HistogramSnapshot(new MetricMetadata(name, help), points);
    }

    /** Records one answered REST request. */
    void requestServed(String method, String route, int status, Duration took) {
        requests.labelValues(method, route, Integer.toString(status)).observe(took.toNanos() / 1e9);
    }

    /**
     * Writes every metric, in the Prometheus text format ({@link #CONTENT_TYPE}): the Core's instances, tasks and
     * cells are read once, then counted by the gauges.
     */
    @Override
    public synchronized void scrape(OutputStream out) throws IOException {
        now = new Snapshot(instances.counts(), engine.list(), cells.list());
        countFinishedTasks(now.tasks());
        writer.write(out, registry.scrape());
    }

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /**
     * Adds the tasks that finished since the last scrape to the task duration histogram. The engine keeps finished
     * tasks for a while (see the task retention), so a task is counted when a scrape comes within that time.
     */
    private void countFinishedTasks(List<TaskInfo> tasks) {
        Set<String> listed = new HashSet<>();
        for (TaskInfo t : tasks) {
            if (t.state() == null || !t.state().finished() || t.finishedAt() == null) {
                continue;
            }
            listed.add(t.id());
            if (counted.add(t.id())) {
                Instant start = t.startedAt() != null ? t.startedAt() : t.createdAt();
                taskDurations.labelValues(t.name(), lower(t.state()))
                        .observe(Math.max(0, Duration.between(start, t.finishedAt()).toNanos() / 1e9));
            }
        }
        counted.retainAll(listed);
    }

    private static String lower(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
    }

    private static String text(String value) {
        return Objects.requireNonNullElse(value, "");
    }
}
