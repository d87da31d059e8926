package io.skiff.api.service;

import java.util.Map;

/** Tells whether the Core is ready to serve, for {@code GET /api/v1/health}. */
public interface ReadinessService {

    /** @return whether state is loaded and the transport has joined the domain */
    boolean ready();

    /** @return details for the health answer (version, node, domain, members, uptime) */
    Map<String, Object> details();
}
