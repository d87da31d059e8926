package io.skiff.cell.internal;

import io.skiff.api.cell.CellInstanceState;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.MigrationTlsReport;
import io.skiff.api.cell.StoragePoolReport;
import io.skiff.api.model.InstanceStats;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.StorageBackend;
import io.skiff.api.spi.StoragePoolUsage;
import io.skiff.api.spi.Volume;
import io.skiff.api.transport.ClusterTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the Core what the cell holds ({@link CellProtocol#INSTANCES_REPORT}): every instance's state and live figures
 * (CPU from the difference of two samples), its storage pools' capacity, the hypervisor's capabilities, and the ids
 * of every instance it holds anything of, and where it stands with migration TLS. Before each report it re-syncs once and refreshes the DHCP leases (which
 * also restarts a DHCP server that died).
 */
final class InstanceReporter {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceReporter.class);
    /** Volume names of instance disks: {@code skiff-<instance id>-disk<n>}. */
    private static final Pattern INSTANCE_VOLUME = Pattern.compile("skiff-([0-9A-Za-z][0-9A-Za-z-]*)-disk[0-9]+");
    /** Listing volumes makes libvirt refresh its pools: the volumes' owners are read at most this often. */
    static final long VOLUME_SCAN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ClusterTransport transport;
    private final Supplier<MigrationTlsReport> migrationTls;
    private final CellInstanceStore files;
    private final CellProviders providers;
    private final CellResync resync;
    private final InstanceLeases leases;
    private final Executor soon;
    private final LongSupplier nanoTime;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final AtomicBoolean reportPending = new AtomicBoolean();
    private volatile Set<String> volumeOwners = Set.of();
    private volatile long volumeScanAt;

    private record Sample(long cpuTimeNanos, long atNanos) {
    }

    /**
     * @param soon where a report asked for by {@link #reportSoon} runs (the cell's timer thread)
     * @param nanoTime the clock of CPU samples and volume scans
     */
    InstanceReporter(ClusterTransport transport, CellInstanceStore files, CellProviders providers, CellResync resync,
                     InstanceLeases leases, Executor soon, LongSupplier nanoTime) {
        this(transport, files, providers, resync, leases, soon, nanoTime, () -> null);
    }

    /** @param migrationTls where the cell stands with migration TLS ({@link MigrationTlsCertificates#report}) */
    InstanceReporter(ClusterTransport transport, CellInstanceStore files, CellProviders providers, CellResync resync,
                     InstanceLeases leases, Executor soon, LongSupplier nanoTime,
                     Supplier<MigrationTlsReport> migrationTls) {
        this.migrationTls = migrationTls;
        this.transport = transport;
        this.files = files;
        this.providers = providers;
        this.resync = resync;
        this.leases = leases;
        this.soon = soon;
        this.nanoTime = nanoTime;
    }

    /** Reports a change at once, folding a burst of changes into one report. */
    void reportSoon() {
        if (reportPending.compareAndSet(false, true)) {
            try {
                soon.execute(() -> {
                    reportPending.set(false);
                    report();
                });
            } catch (RejectedExecutionException e) {
                reportPending.set(false);
            }
        }
    }

    void report() {
        Hypervisor h = providers.hypervisorIfPresent();
        try {
            resync.resyncOnce();
            leases.refresh(); // also restarts a DHCP server that died
            List<CellInstanceState> states = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<DomainInfo> domains = h == null ? List.of() : h.domains();
            Map<String, DomainInfo> byId = new HashMap<>();
            domains.forEach(d -> byId.put(d.instanceId(), d));
            for (CellInstanceFile file : files.all()) {
                String id = file.spec().instanceId();
                seen.add(id);
                DomainInfo d = byId.get(id);
                String state = h == null ? "UNKNOWN" : d == null ? DomainState.UNDEFINED.name() : d.state().name();
                states.add(new CellInstanceState(id, state, d != null && d.state() == DomainState.RUNNING
                        ? stats(h, file) : null));
            }
            for (DomainInfo d : domains) {
                if (!seen.contains(d.instanceId())) {
                    states.add(new CellInstanceState(d.instanceId(), d.state().name(), null));
                }
            }
            transport.publish(CellProtocol.INSTANCES_REPORT, new CellInstancesReport(transport.localNode(), states,
                    storagePools(), h == null ? null : h.capabilities(), held(seen, domains), migrationTls.get()));
        } catch (Exception e) {
            LOG.debug("cell {}: instance report failed: {}", transport.localNode(), e.toString());
        }
    }

    /** Forgets what the reports knew of an instance whose volumes and files were deleted. */
    void forget(String id) {
        Set<String> owners = new HashSet<>(volumeOwners);
        if (owners.remove(id)) {
            volumeOwners = owners;
        }
        samples.remove(id);
    }

    /**
     * Every instance this cell holds something of: a file, a volume in one of its pools, or a Skiff domain. The Core
     * compares them with its records and removes what nothing owns any more; the cell never removes anything by
     * itself.
     */
    private List<String> held(Set<String> withFiles, List<DomainInfo> domains) {
        long now = nanoTime.getAsLong();
        if (volumeScanAt == 0 || now - volumeScanAt > VOLUME_SCAN_NANOS) {
            volumeScanAt = now;
            Set<String> owners = new HashSet<>();
            for (StoragePoolReport pool : storagePools()) {
                try {
                    for (Volume v : providers.storage(pool.name()).list(pool.name())) {
                        Matcher m = INSTANCE_VOLUME.matcher(v.name());
                        if (m.matches()) {
                            owners.add(m.group(1));
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debug("cell {}: cannot list the volumes of pool {}: {}", transport.localNode(), pool.name(),
                            e.toString());
                }
            }
            volumeOwners = owners;
        }
        Set<String> held = new TreeSet<>(withFiles);
        held.addAll(volumeOwners);
        // Skiff's domains on this cell's hypervisor (which other cells may share: the Core only removes what it
        // tombstoned itself, so another cell's or another domain's guests are never touched)
        domains.forEach(d -> held.add(d.instanceId()));
        return List.copyOf(held);
    }

    /** The default pool first, then the pools other providers declared (only those whose provider is here). */
    private List<StoragePoolReport> storagePools() {
        List<StoragePoolReport> reports = new ArrayList<>();
        for (String pool : providers.pools()) {
            StorageBackend backend = providers.storageIfPresent(pool);
            if (backend == null) {
                continue;
            }
            try {
                StoragePoolUsage usage = backend.usage(pool);
                reports.add(new StoragePoolReport(pool, providers.providerOf(pool), usage.capacityBytes(),
                        usage.allocationBytes(), usage.availableBytes()));
            } catch (RuntimeException e) {
                LOG.debug("cell {}: no usage of pool {}: {}", transport.localNode(), pool, e.toString());
            }
        }
        return reports;
    }

    private InstanceStats stats(Hypervisor h, CellInstanceFile file) {
        String id = file.spec().instanceId();
        try {
            DomainStats s = h.stats(id);
            long now = nanoTime.getAsLong();
            Sample previous = samples.put(id, new Sample(s.cpuTimeNanos(), now));
            double cpu = 0;
            if (previous != null && now > previous.atNanos()) {
                cpu = 100.0 * (s.cpuTimeNanos() - previous.cpuTimeNanos()) / (now - previous.atNanos());
            }
            return new InstanceStats(Math.max(0, cpu), s.memoryBytes(), s.diskReadBytes(), s.diskWriteBytes(),
                    s.netRxBytes(), s.netTxBytes(), Instant.now());
        } catch (Exception e) {
            return null;
        }
    }
}
