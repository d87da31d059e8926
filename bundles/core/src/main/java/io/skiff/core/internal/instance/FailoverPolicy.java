package io.skiff.core.internal.instance;

import io.skiff.api.model.ComputePool;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Which instances fail over and on what timing: those of a compute pool with {@link ComputePool#failover()}; their
 * cell fences them after {@code isolationSeconds} without the Core (it is told with each instance's spec), and the
 * Core starts them elsewhere {@code failoverMarginSeconds} after that. Settings are read at each call, so a changed
 * setting holds for the next decision.
 */
final class FailoverPolicy {
    private final ComputePoolService pools;
    private final Supplier<SchedulerConfig> config;

    FailoverPolicy(ComputePoolService pools, Supplier<SchedulerConfig> config) {
        this.pools = pools;
        this.config = config;
    }

    /** @return whether the instances of this compute pool are started elsewhere when their cell is lost */
    boolean failover(String poolId) {
        if (poolId == null) {
            return false;
        }
        try {
            return pools.get(poolId).failover();
        } catch (SkiffException e) {
            return false;
        }
    }

    /** @return what a cell is told: fence after so many seconds, or {@code null} for an instance that never fails over */
    Integer fenceAfterSeconds(String poolId) {
        return failover(poolId) ? isolationSeconds() : null;
    }

    int isolationSeconds() {
        return Math.max(1, config.get().isolationSeconds());
    }

    /** @return how long after the cell was last known alive the Core may start its instances elsewhere */
    Duration failoverDelay() {
        return Duration.ofSeconds(isolationSeconds() + (long) Math.max(0, config.get().failoverMarginSeconds()));
    }
}
