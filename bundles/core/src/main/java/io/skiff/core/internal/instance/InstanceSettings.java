package io.skiff.core.internal.instance;

import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.transport.ClusterTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The instance settings ({@code etc/io.skiff.core.instances.cfg}) and what is built from them: the scheduler (its
 * over-commit ratios), the cell calls (their time-out), the defaults of a create ({@link InstanceDefaults}) and the
 * test-only {@link FaultInjection}. A configuration update replaces them here, at once for
 * every capability, without re-activating anything (which would drop the in-memory state and every provider binding).
 */
final class InstanceSettings {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSettings.class);

    private final ClusterTransport transport;
    private volatile SchedulerConfig config;
    private volatile InstanceScheduler scheduler;
    private volatile CellCalls calls;
    private volatile FaultInjection faults;
    private volatile InstanceDefaults defaults;

    InstanceSettings(ClusterTransport transport, SchedulerConfig config, FaultInjection faults) {
        this.transport = transport;
        this.config = config;
        this.faults = faults;
        this.scheduler = new InstanceScheduler(config.cpuOvercommit(), config.memoryOvercommit());
        this.calls = calls(transport, config);
        this.defaults = InstanceRequests.defaults(config);
    }

    private static CellCalls calls(ClusterTransport transport, SchedulerConfig config) {
        return new CellCalls(transport, Duration.ofSeconds(config.cellTimeoutSeconds()),
                Math.max(1, config.cellRequestWindow()));
    }

    SchedulerConfig config() {
        return config;
    }

    InstanceScheduler scheduler() {
        return scheduler;
    }

    CellCalls calls() {
        return calls;
    }

    /** @return what a create fills in for what it leaves out */
    InstanceDefaults defaults() {
        return defaults;
    }

    /** TEST ONLY: the failures to inject (none in production). */
    FaultInjection faults() {
        return faults;
    }

    /** Takes new settings; the scheduler and the cell calls are rebuilt only when their own settings changed. */
    void update(SchedulerConfig updated, FaultInjection updatedFaults) {
        SchedulerConfig before = config;
        if (before.cpuOvercommit() != updated.cpuOvercommit() || before.memoryOvercommit() != updated.memoryOvercommit()) {
            scheduler = new InstanceScheduler(updated.cpuOvercommit(), updated.memoryOvercommit());
        }
        if (before.cellTimeoutSeconds() != updated.cellTimeoutSeconds()
                || before.cellRequestWindow() != updated.cellRequestWindow()) {
            calls = calls(transport, updated);
        }
        defaults = InstanceRequests.defaults(updated);
        config = updated;
        faults = updatedFaults;
        LOG.info("instance settings updated: placement policy {}, address pool provider {}",
                updated.placementPolicy(), updated.addressPoolProvider());
    }
}
