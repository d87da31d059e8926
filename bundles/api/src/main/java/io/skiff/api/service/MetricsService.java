package io.skiff.api.service;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Every metric of the Core in the Prometheus text exposition format, as {@code GET /api/v1/metrics} serves it, for
 * the shell ({@code skiff:metrics}) and anyone else in the container. Reading it needs {@code metrics.read}; the
 * caller checks that.
 *
 * @since 2.6
 */
public interface MetricsService {

    /** Writes every metric, read now, in the Prometheus text exposition format (version 0.0.4). */
    void scrape(OutputStream out) throws IOException;
}
