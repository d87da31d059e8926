package io.skiff.rest.internal;

import io.skiff.api.service.SkiffException;

/** Request bodies of the API; unknown fields are refused by the JSON mapper. */
final class Requests {
    private Requests() {
    }

    /** {@code POST /pools}. */
    record PoolCreate(String name, String description) {
    }

    /** {@code PUT /pools/{name}}. */
    record PoolUpdate(String description) {
    }

    /** {@code POST /cells/{id}/add-to-pool}. */
    record CellPool(String pool) {
    }

    /** {@code POST /sessions}. */
    record SessionCreate(String user, String password) {
    }

    static <T> T required(T body) {
        if (body == null) {
            throw SkiffException.invalid("body", "a JSON body is required");
        }
        return body;
    }
}
