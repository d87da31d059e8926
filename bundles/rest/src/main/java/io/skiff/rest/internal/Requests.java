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

    /** {@code POST /instances}. */
    record InstanceCreate(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                          java.util.List<Disk> disks, String profile, String addressPoolId, Boolean autoStart) {
    }

    /** A disk of {@link InstanceCreate}. */
    record Disk(Long sizeBytes, String storagePool, String imageId) {
    }

    /** {@code PUT /instances/{id}}. */
    record InstanceModify(String name, Integer cores, Long memoryBytes) {
    }

    /** {@code POST /images}. */
    record ImageImport(String name, String path) {
    }

    static <T> T required(T body) {
        if (body == null) {
            throw SkiffException.invalid("body", "a JSON body is required");
        }
        return body;
    }
}
