package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.GuestInit;
import io.skiff.api.model.InstanceDefaults;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.Labels;
import io.skiff.api.model.Qos;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.image.ImageCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks what is asked of instances and fills in the defaults, before anything is queued: a refusal is a 4xx naming
 * the request field, and changes nothing. A create's spec comes back complete (cores and memory from the settings
 * {@code defaultCores} and {@code defaultMemoryMib}, profile {@code linux-virtio}, disk sizes at least their image's,
 * clone mode {@code linked}, host name = instance name, the admin password hashed, boot from {@code disk}); the limits
 * on shape and disks are the same for create, modify and the disk operations. This is the one place that fills in a
 * create's defaults: REST, the shell and the portal pass on only what the caller named.
 */
final class InstanceRequests {
    static final long MIN_MEMORY = 16L << 20;
    static final long MAX_MEMORY = 4L << 40;
    static final long MIN_DISK = 1L << 20;
    static final long MAX_DISK = 64L << 40;
    static final int MAX_CORES = 512;
    static final int MAX_DISKS = 16;
    static final String DEFAULT_PROFILE = "linux-virtio";
    /** Cores of a create that names none, unless the setting {@code defaultCores} says otherwise. */
    static final int DEFAULT_CORES = 1;
    /** Memory in MiB of a create that names none, unless the setting {@code defaultMemoryMib} says otherwise. */
    static final long DEFAULT_MEMORY_MIB = 512;
    private static final Logger LOG = LoggerFactory.getLogger(InstanceRequests.class);

    private final InstanceRecords records;
    private final ComputePoolService pools;
    private final ImageCatalog images;
    private final InstanceProviders providers;
    private final Supplier<InstanceDefaults> defaults;
    private final StoragePoolRecords storagePools;

    /**
     * @param defaults the defaults as the settings say now (read at every create)
     * @param storagePools the storage pools the Core defines: a create's disks that name no pool go to the one
     *     attached to the compute pool
     */
    InstanceRequests(InstanceRecords records, ComputePoolService pools, ImageCatalog images,
                     InstanceProviders providers, Supplier<InstanceDefaults> defaults,
                     StoragePoolRecords storagePools) {
        this.storagePools = storagePools;
        this.records = records;
        this.pools = pools;
        this.images = images;
        this.providers = providers;
        this.defaults = defaults;
    }

    /**
     * @return the defaults of a create as the settings give them; a setting outside the limits of a create is logged
     *     and leaves the built-in default, so that a create naming nothing is never refused for a value it did not give
     */
    static InstanceDefaults defaults(SchedulerConfig config) {
        int cores = config.defaultCores();
        if (cores < 1 || cores > MAX_CORES) {
            LOG.warn("setting defaultCores {} is not between 1 and {}; the default stays {}", cores, MAX_CORES,
                    DEFAULT_CORES);
            cores = DEFAULT_CORES;
        }
        long memoryMib = config.defaultMemoryMib();
        if (memoryMib < MIN_MEMORY >> 20 || memoryMib > MAX_MEMORY >> 20) {
            LOG.warn("setting defaultMemoryMib {} is not between {} and {}; the default stays {}", memoryMib,
                    MIN_MEMORY >> 20, MAX_MEMORY >> 20, DEFAULT_MEMORY_MIB);
            memoryMib = DEFAULT_MEMORY_MIB;
        }
        return new InstanceDefaults(cores, memoryMib << 20, DEFAULT_PROFILE);
    }

    /** @return the spec with the cores, memory and profile it leaves out taken from the defaults */
    InstanceSpec withDefaults(InstanceSpec spec) {
        InstanceDefaults d = defaults.get();
        return new InstanceSpec(spec.name(), spec.poolId(), spec.cellId(),
                spec.cores() == null ? d.cores() : spec.cores(),
                spec.memoryBytes() == null ? d.memoryBytes() : spec.memoryBytes(), spec.disks(),
                spec.profile() == null || spec.profile().isEmpty() ? d.profile() : spec.profile(),
                spec.addressPoolId(), spec.autoStart(), spec.address(), spec.guestInit(), spec.qos(), spec.media(),
                spec.bootFrom(), spec.restartPolicy(), spec.labels());
    }

    /** @return the spec to create, complete; the plain admin password is hashed here and goes no further */
    InstanceSpec create(InstanceSpec requested) {
        if (requested == null) {
            throw SkiffException.invalid("body", "an instance spec is required");
        }
        InstanceSpec spec = withDefaults(requested);
        Names.require("name", spec.name());
        shape(spec.cores(), spec.memoryBytes());
        if (spec.poolId() == null || spec.poolId().isEmpty()) {
            throw SkiffException.invalid("poolId", "poolId is required");
        }
        pools.list().stream().filter(p -> p.name().equals(spec.poolId())).findFirst()
                .orElseThrow(() -> SkiffException.notFound("poolId", "compute pool", spec.poolId()));
        String profile = providers.requireProfile(spec.profile());
        List<DiskSpec> disks = inStoragePool(spec.poolId(), disks(spec.disks()));
        if (records.nameTaken(spec.name())) {
            throw SkiffException.conflict("name", "instance '" + spec.name() + "' already exists");
        }
        GuestInit init = GuestInits.validate(spec.guestInit(), spec.name(), disks.size());
        Qos qos = Qoses.validate(spec.qos());
        InstanceSpec checked = new InstanceSpec(spec.name(), spec.poolId(), emptyToNull(spec.cellId()), spec.cores(),
                spec.memoryBytes(), List.copyOf(disks), profile, emptyToNull(spec.addressPoolId()), spec.autoStart(),
                emptyToNull(spec.address()), init, qos, media(spec.media()), bootFrom(spec.bootFrom()),
                restartPolicy(spec.restartPolicy()), labels(spec.labels()));
        address(checked);
        return checked;
    }

    /** Disks that name no pool go to the storage pool attached to the compute pool (none: the cell's default). */
    private List<DiskSpec> inStoragePool(String computePool, List<DiskSpec> disks) {
        String pool = storagePools.forComputePool(computePool).map(p -> p.id()).orElse(null);
        if (pool == null) {
            return disks;
        }
        return disks.stream().map(d -> d.storagePool() == null || d.storagePool().isEmpty()
                ? new DiskSpec(d.sizeBytes(), pool, d.imageId(), d.cloneMode()) : d).toList();
    }

    private List<DiskSpec> disks(List<DiskSpec> requested) {
        if (requested == null || requested.isEmpty() || requested.size() > MAX_DISKS) {
            throw SkiffException.invalid("disks", "an instance needs 1 to " + MAX_DISKS + " disks");
        }
        List<DiskSpec> disks = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            DiskSpec d = requested.get(i);
            if (d == null) {
                throw SkiffException.invalid("disks." + i, "disk " + i + " is empty");
            }
            long size = d.sizeBytes();
            String cloneMode = null;
            if (d.imageId() != null) {
                DiskImage image = images.get(d.imageId());
                size = Math.max(size, image.virtualSizeBytes());
                cloneMode = d.cloneMode() == null ? "linked" : d.cloneMode();
                if (!cloneMode.equals("linked") && !cloneMode.equals("full")) {
                    throw SkiffException.invalid("disks." + i + ".cloneMode", "cloneMode is 'linked' or 'full', not '"
                            + d.cloneMode() + "'");
                }
                d = new DiskSpec(size, d.storagePool(), image.id(), cloneMode);
            } else if (d.cloneMode() != null) {
                throw SkiffException.invalid("disks." + i + ".cloneMode", "cloneMode needs an imageId");
            }
            if (size < MIN_DISK || size > MAX_DISK) {
                throw SkiffException.invalid("disks." + i + ".sizeBytes", "disk size must be between 1 MiB and 64 TiB");
            }
            disks.add(new DiskSpec(size, d.storagePool(), d.imageId(), cloneMode));
        }
        return disks;
    }

    /** The address pool must exist; a specific address must be free in it (checked again when it is taken). */
    private void address(InstanceSpec checked) {
        if (checked.addressPoolId() != null) {
            try {
                providers.addressPools().get(checked.addressPoolId());
            } catch (SkiffException e) {
                throw new SkiffException(e.kind(), e.code(), e.getMessage(), "addressPoolId");
            }
        }
        Optional<String> addressPool = providers.addressPoolOf(checked);
        if (checked.address() != null) {
            if (addressPool.isEmpty()) {
                throw SkiffException.invalid("address", "compute pool '" + checked.poolId()
                        + "' has no address pool; name one in addressPoolId");
            }
            // fail fast when taken or outside; the allocation step checks again under the provider's lock
            providers.addressPools().checkAvailable(addressPool.get(), checked.address());
        }
    }

    /** @throws SkiffException {@code INVALID cores} or {@code INVALID memoryBytes} out of the limits */
    static void shape(int cores, long memoryBytes) {
        if (cores < 1 || cores > MAX_CORES) {
            throw SkiffException.invalid("cores", "cores must be between 1 and " + MAX_CORES);
        }
        if (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY) {
            throw SkiffException.invalid("memoryBytes", "memoryBytes must be between 16 MiB and 4 TiB");
        }
    }

    /** @throws SkiffException {@code INVALID sizeBytes} out of the limits of a disk */
    static void diskSize(long sizeBytes) {
        if (sizeBytes < MIN_DISK || sizeBytes > MAX_DISK) {
            throw SkiffException.invalid("sizeBytes", "disk size must be between 1 MiB and 64 TiB");
        }
    }

    /** @throws SkiffException {@code INVALID disk} when the instance has no disk {@code disk} */
    static void existingDisk(InstanceRecord r, int disk) {
        if (disk < 0 || disk >= r.spec().disks().size()) {
            throw SkiffException.invalid("disk", "instance '" + r.spec().name() + "' has disks 0 to "
                    + (r.spec().disks().size() - 1));
        }
    }

    /** @return the id of the medium named by id or name ({@code null} for none); 404 {@code media} when unknown */
    private String media(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return null;
        }
        return providers.media().get(idOrName).id();
    }

    /**
     * @return {@code never}, {@code on-failure} or {@code always} ({@code null} or empty means never); 400
     *     {@code restartPolicy} otherwise
     */
    /** @return the labels, sorted; {@code INVALID labels} naming what breaks {@link Labels}' rules */
    static Map<String, String> labels(Map<String, String> labels) {
        try {
            return Labels.check(labels);
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid("labels", e.getMessage());
        }
    }

    static String restartPolicy(String value) {
        if (value == null || value.isEmpty()) {
            return InstanceSpec.RESTART_NEVER;
        }
        return switch (value) {
            case InstanceSpec.RESTART_NEVER, InstanceSpec.RESTART_ON_FAILURE, InstanceSpec.RESTART_ALWAYS -> value;
            default -> throw SkiffException.invalid("restartPolicy", "restartPolicy is 'never', 'on-failure' or "
                    + "'always', not '" + value + "'");
        };
    }

    /** @return {@code disk} or {@code cdrom} ({@code null} means disk); 400 {@code bootFrom} otherwise */
    static String bootFrom(String value) {
        if (value == null || value.isEmpty()) {
            return InstanceSpec.BOOT_DISK;
        }
        if (!value.equals(InstanceSpec.BOOT_DISK) && !value.equals(InstanceSpec.BOOT_CDROM)) {
            throw SkiffException.invalid("bootFrom", "bootFrom is 'disk' or 'cdrom', not '" + value + "'");
        }
        return value;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
