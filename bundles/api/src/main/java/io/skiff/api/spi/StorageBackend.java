package io.skiff.api.spi;

import java.util.List;

/** Keeps volumes in storage pools of one kind. Registered with {@code skiff.provider} ({@code local}, {@code nfs}). */
public interface StorageBackend {

    /** Creates an empty volume, or one backed by {@code backingPath} when it is not null. */
    Volume create(String pool, String name, long capacityBytes, String backingPath);

    /** Deletes a volume; tolerates one that does not exist. */
    void delete(String pool, String name);

    Volume resize(String pool, String name, long capacityBytes);

    List<Volume> list(String pool);
}
