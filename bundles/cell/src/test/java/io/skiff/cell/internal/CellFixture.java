package io.skiff.cell.internal;

import io.skiff.api.cell.CellAddress;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.CellInstancesReport;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.GuestProfile;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The real {@link InstanceAgent} of one cell, wired as DS would wire it but with fakes for every provider, a transport
 * that delivers requests directly, and a timer whose one-off tasks (the first DHCP refresh, a report soon after a
 * change) wait in a queue until the test runs them.
 */
final class CellFixture implements AutoCloseable {
    static final String NODE = "cell-1";
    static final String POOL = "skiff-local";

    /** Runs periodic tasks (never, in a test: the interval is an hour) but queues what is "executed" at once. */
    static final class QueuedTimer extends ScheduledThreadPoolExecutor {
        final List<Runnable> queued = new ArrayList<>();

        QueuedTimer() {
            super(1);
        }

        @Override
        public synchronized void execute(Runnable command) {
            queued.add(command);
        }

        synchronized List<Runnable> take() {
            List<Runnable> out = new ArrayList<>(queued);
            queued.clear();
            return out;
        }

        synchronized int pending() {
            return queued.size();
        }
    }

    final Path data;
    final FakeTransport transport = new FakeTransport(NODE);
    final FakeHypervisor hypervisor;
    final FakeStorageBackend storage;
    final FakeSnapshotProvider snapshots = new FakeSnapshotProvider();
    final FakeGuestInitializer initializer = new FakeGuestInitializer();
    final FakeDhcpServer dhcp;
    final GuestProfile profile = profile("linux-virtio");
    final QueuedTimer timer = new QueuedTimer();
    final InstanceAgent agent;

    CellFixture(Path data, Map<String, Object> settings) {
        this(data, settings, new FakeHypervisor(), new FakeStorageBackend(), new FakeDhcpServer());
    }

    /** A cell on the given hypervisor, storage and DHCP server: a second one on the same ones is a restarted cell. */
    CellFixture(Path data, Map<String, Object> settings, FakeHypervisor hypervisor, FakeStorageBackend storage,
                FakeDhcpServer dhcp) {
        this.data = data;
        this.hypervisor = hypervisor;
        this.storage = storage;
        this.dhcp = dhcp;
        Map<String, Object> values = new HashMap<>(Map.of("dataDir", data.toString(),
                "reportIntervalMillis", 3_600_000));
        values.putAll(settings);
        agent = new InstanceAgent(transport, config(values), null, timer);
        agent.addHypervisor(hypervisor, Map.of("skiff.provider", "libvirt", "service.id", 11L));
        agent.addStorage(storage, Map.of("skiff.provider", "local", "service.id", 12L));
        agent.addProfile(profile, Map.of("skiff.provider", "linux-virtio", "service.id", 13L));
        agent.addSnapshots(snapshots, Map.of("skiff.provider", "qcow2", "service.id", 14L));
        agent.addInitializer(initializer, Map.of("skiff.provider", "nocloud", "service.id", 15L));
        agent.addDhcp(dhcp, Map.of("skiff.provider", "dnsmasq", "service.id", 16L));
    }

    static GuestProfile profile(String name) {
        return new GuestProfile() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return "test profile";
            }

            @Override
            public DeviceProfile devices() {
                return new DeviceProfile("virtio", "virtio", "vga", false, "pc", "bios");
            }
        };
    }

    /** The cell's settings as Config Admin would give them: these values, the defaults for the rest. */
    static InstanceAgentConfig config(Map<String, Object> values) {
        return (InstanceAgentConfig) Proxy.newProxyInstance(InstanceAgentConfig.class.getClassLoader(),
                new Class<?>[] {InstanceAgentConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> InstanceAgentConfig.class;
                    case "toString" -> "@InstanceAgentConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    /** An instance with one empty disk per size, in the default pool. */
    static CellInstanceSpec spec(String id, long... diskSizes) {
        List<CellDisk> disks = new ArrayList<>();
        for (int i = 0; i < diskSizes.length; i++) {
            disks.add(new CellDisk("skiff-" + id + "-disk" + i, null, diskSizes[i], null));
        }
        return new CellInstanceSpec(id, "vm-" + id, 1, 256L << 20, "linux-virtio", disks, false);
    }

    static CellInstanceSpec withAddress(CellInstanceSpec s, String address) {
        return new CellInstanceSpec(s.instanceId(), s.name(), s.cores(), s.memoryBytes(), s.profile(), s.disks(),
                s.autoStart(), new CellAddress("lan", address, 24, "10.0.0.1", List.of("10.0.0.1"), "skiff.test",
                s.name()), s.guestInit(), s.qos(), s.media(), s.bootFrom());
    }

    /** A medium already in the cell's media cache (fetching it would need the Core). */
    ImageSource cachedMedium(String id) throws IOException {
        Path dir = data.resolve("media");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(id + ".iso"), "iso " + id);
        return new ImageSource(id, "http://core.invalid/media/" + id, "token", "0", "iso");
    }

    <R> R call(String type, Object body, Class<R> replyType) throws Exception {
        return transport.request(type, body, replyType);
    }

    /** @return the error the request fails with */
    SkiffException refused(String type, Object body) {
        try {
            transport.request(type, body, Object.class);
        } catch (SkiffException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a SkiffException, got " + e, e);
        }
        throw new AssertionError(type + " succeeded");
    }

    /** Prepares the volumes and defines the domain, as the Core's create does before it starts the instance. */
    void create(CellInstanceSpec spec) throws Exception {
        call(CellProtocol.PREPARE_DISKS, spec, Object.class);
        call(CellProtocol.DEFINE, spec, Object.class);
    }

    Optional<CellInstanceFile> file(String id) throws IOException {
        return new CellInstanceStore(data.resolve("instances"),
                new com.fasterxml.jackson.databind.ObjectMapper().disable(
                        com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).load(id);
    }

    /** Runs what waits on the timer (a report soon after a change, the first DHCP refresh) until nothing does. */
    void runTimer() {
        for (List<Runnable> tasks = timer.take(); !tasks.isEmpty(); tasks = timer.take()) {
            tasks.forEach(Runnable::run);
        }
    }

    /** @return the reports published so far */
    List<CellInstancesReport> reports() {
        return transport.published.stream().filter(p -> p.type().equals(CellProtocol.INSTANCES_REPORT))
                .map(p -> (CellInstancesReport) p.body()).toList();
    }

    CellInstancesReport reportNow() {
        int before = reports().size();
        agent.report();
        List<CellInstancesReport> all = reports();
        if (all.size() != before + 1) {
            throw new AssertionError("no report published");
        }
        return all.get(all.size() - 1);
    }

    @Override
    public void close() {
        agent.deactivate();
    }
}
