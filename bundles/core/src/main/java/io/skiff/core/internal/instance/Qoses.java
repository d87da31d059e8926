package io.skiff.core.internal.instance;

import io.skiff.api.model.Qos;
import io.skiff.api.service.SkiffException;

import java.util.List;

/** Checks QoS requests (fields named {@code qos.*}); {@code null} and 0 limits mean unlimited. */
final class Qoses {
    static final List<String> PRIORITIES = List.of("high", "medium", "low");
    static final long MAX_IOPS = 1_000_000;
    static final long MAX_BYTES_PER_SECOND = 100L << 30;
    /** 100 Gbit/s in KiB/s. */
    static final long MAX_KIB_PER_SECOND = 12_207_031;

    private Qoses() {
    }

    static Qos validate(Qos qos) {
        if (qos == null) {
            return null;
        }
        String priority = qos.cpuPriority() == null || qos.cpuPriority().isEmpty() ? "medium" : qos.cpuPriority();
        if (!PRIORITIES.contains(priority)) {
            throw SkiffException.invalid("qos.cpuPriority", "cpuPriority must be one of " + PRIORITIES);
        }
        return new Qos(priority,
                range("qos.diskReadIops", qos.diskReadIops(), MAX_IOPS),
                range("qos.diskWriteIops", qos.diskWriteIops(), MAX_IOPS),
                range("qos.diskReadBytesPerSecond", qos.diskReadBytesPerSecond(), MAX_BYTES_PER_SECOND),
                range("qos.diskWriteBytesPerSecond", qos.diskWriteBytesPerSecond(), MAX_BYTES_PER_SECOND),
                range("qos.netRxKiBPerSecond", qos.netRxKiBPerSecond(), MAX_KIB_PER_SECOND),
                range("qos.netTxKiBPerSecond", qos.netTxKiBPerSecond(), MAX_KIB_PER_SECOND));
    }

    private static Long range(String field, Long value, long max) {
        if (value == null || value == 0) {
            return null;
        }
        if (value < 0 || value > max) {
            throw SkiffException.invalid(field, field.substring(4) + " must be between 0 (unlimited) and " + max);
        }
        return value;
    }
}
