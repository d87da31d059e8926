package io.skiff.cell.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** An in-memory {@link StorageBackend} for unit tests: volumes are map entries, nothing is written. */
class FakeStorageBackend implements StorageBackend {
    final Map<String, Map<String, Volume>> pools = new ConcurrentHashMap<>();
    /** Volume names whose create fails. */
    final Set<String> failCreate = ConcurrentHashMap.newKeySet();
    /** Told the name of each volume before it is created. */
    volatile Consumer<String> beforeCreate = name -> { };
    /** The pools the cell had it take ({@link #definePool}), with their settings, in order. */
    final Map<String, Map<String, String>> defined = new LinkedHashMap<>();
    /** Thrown by {@link #definePool} and {@link #check} when set. */
    volatile SkiffException refusePools;
    /** File names of images the pool holds its own copy of (as shared storage does), see {@link #holdsImage}. */
    final Set<String> heldImages = ConcurrentHashMap.newKeySet();
    /** The backing path of each volume created as a linked clone. */
    final Map<String, String> backings = new ConcurrentHashMap<>();

    @Override
    public synchronized void definePool(String name, Map<String, String> settings) {
        if (refusePools != null) {
            throw refusePools;
        }
        defined.put(name, settings);
    }

    @Override
    public void check(String pool, Map<String, String> settings) {
        if (refusePools != null) {
            throw refusePools;
        }
    }

    Map<String, Volume> pool(String pool) {
        return pools.computeIfAbsent(pool, p -> new TreeMap<>());
    }

    List<String> names(String pool) {
        return new ArrayList<>(pool(pool).keySet());
    }

    /** A volume made behind the cell's back (e.g. by a run that crashed before writing its file). */
    Volume put(String pool, String name, long capacityBytes) {
        Volume v = new Volume(pool, name, "/pools/" + pool + "/" + name + ".qcow2", "qcow2", capacityBytes,
                capacityBytes / 10);
        synchronized (this) {
            pool(pool).put(name, v);
        }
        return v;
    }

    @Override
    public Volume create(String pool, String name, long capacityBytes, String backingPath) {
        beforeCreate.accept(name);
        if (failCreate.contains(name)) {
            throw SkiffException.unavailable("the fake pool " + pool + " refuses " + name);
        }
        if (pool(pool).containsKey(name)) {
            throw SkiffException.conflict("name", "volume " + name + " exists");
        }
        if (backingPath != null) {
            backings.put(name, backingPath);
        }
        return put(pool, name, capacityBytes);
    }

    @Override
    public boolean holdsImage(String pool, String backingPath) {
        return heldImages.contains(Path.of(backingPath).getFileName().toString());
    }

    @Override
    public Volume importFile(String pool, String name, Path source) {
        return create(pool, name, 1L << 20, null);
    }

    @Override
    public synchronized void delete(String pool, String name) {
        pool(pool).remove(name);
    }

    @Override
    public Volume resize(String pool, String name, long capacityBytes) {
        find(pool, name).orElseThrow(() -> SkiffException.notFound("volume", name));
        return put(pool, name, capacityBytes);
    }

    @Override
    public Volume shrink(String pool, String name, long capacityBytes) {
        if (capacityBytes < dataEndBytes(pool, name)) {
            throw SkiffException.invalid("capacityBytes", "volume " + name + " holds data up to "
                    + dataEndBytes(pool, name) + " bytes");
        }
        return resize(pool, name, capacityBytes);
    }

    @Override
    public long dataEndBytes(String pool, String name) {
        return find(pool, name).orElseThrow().allocationBytes();
    }

    @Override
    public Volume compact(String pool, String name) {
        Volume v = find(pool, name).orElseThrow();
        Volume compacted = new Volume(pool, name, v.path(), v.format(), v.capacityBytes(), v.allocationBytes() / 2);
        synchronized (this) {
            pool(pool).put(name, compacted);
        }
        return compacted;
    }

    @Override
    public synchronized Optional<Volume> find(String pool, String name) {
        return Optional.ofNullable(pool(pool).get(name));
    }

    @Override
    public synchronized List<Volume> list(String pool) {
        return new ArrayList<>(pool(pool).values());
    }

    @Override
    public StoragePoolUsage usage(String pool) {
        return new StoragePoolUsage(100L << 30, 1L << 30, 99L << 30);
    }
}
