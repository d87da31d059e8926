package io.skiff.cell.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DeviceProfile;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.DomainInfo;
import io.skiff.api.spi.DomainSpec;
import io.skiff.api.spi.DomainState;
import io.skiff.api.spi.DomainStats;
import io.skiff.api.spi.HostCapabilities;
import io.skiff.api.spi.Hypervisor;
import io.skiff.api.spi.NicAttachment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link Hypervisor} for unit tests: domains are a map, nothing runs. */
class FakeHypervisor implements Hypervisor {
    static final class Domain {
        volatile DomainSpec spec;
        volatile DomainState state = DomainState.SHUT_OFF;
        volatile boolean autostart;
        final List<String> attached = new ArrayList<>();

        Domain(DomainSpec spec) {
            this.spec = spec;
        }
    }

    final Map<String, Domain> domains = new ConcurrentHashMap<>();
    final Map<String, Integer> defines = new ConcurrentHashMap<>();
    /** When set, hot-plugging a disk fails (as when the guest's bus cannot take one more). */
    volatile boolean failAttach;

    /** The hypervisor loses a domain behind the cell's back (e.g. its definitions were wiped). */
    void lose(String id) {
        domains.remove(id);
    }

    /** A Skiff domain the cell has no file of. */
    void addForeign(String id, DomainState state) {
        Domain d = new Domain(new DomainSpec(id, id, 1, 1 << 20, null, List.of(), List.of(), null, null, null, null));
        d.state = state;
        domains.put(id, d);
    }

    Domain domain(String id) {
        return domains.get(id);
    }

    int defines(String id) {
        return defines.getOrDefault(id, 0);
    }

    @Override
    public HostCapabilities capabilities() {
        return new HostCapabilities("fake", "none", 4, 8L << 30, List.of("pc"));
    }

    @Override
    public void define(DomainSpec spec) {
        defines.merge(spec.instanceId(), 1, Integer::sum);
        domains.compute(spec.instanceId(), (id, d) -> {
            if (d == null) {
                return new Domain(spec);
            }
            d.spec = spec;
            return d;
        });
    }

    @Override
    public void start(String instanceId) {
        existing(instanceId).state = DomainState.RUNNING;
    }

    @Override
    public boolean shutdown(String instanceId, Duration timeout) {
        existing(instanceId).state = DomainState.SHUT_OFF;
        return true;
    }

    @Override
    public void destroy(String instanceId) {
        Domain d = domains.get(instanceId);
        if (d != null) {
            d.state = DomainState.SHUT_OFF;
        }
    }

    @Override
    public void undefine(String instanceId) {
        domains.remove(instanceId);
    }

    @Override
    public DomainState state(String instanceId) {
        Domain d = domains.get(instanceId);
        return d == null ? DomainState.UNDEFINED : d.state;
    }

    @Override
    public void setAutostart(String instanceId, boolean autostart) {
        existing(instanceId).autostart = autostart;
    }

    @Override
    public List<DomainInfo> domains() {
        List<DomainInfo> out = new ArrayList<>();
        domains.forEach((id, d) -> out.add(new DomainInfo(id, d.state, d.state == DomainState.RUNNING ? 1 : -1,
                d.spec.nics() == null ? List.of() : d.spec.nics().stream().map(NicAttachment::mac).toList())));
        return out;
    }

    @Override
    public DomainStats stats(String instanceId) {
        existing(instanceId);
        return new DomainStats(1_000_000, 256L << 20, 0, 0, 0, 0);
    }

    @Override
    public int consolePort(String instanceId) {
        return state(instanceId) == DomainState.RUNNING ? 5900 : -1;
    }

    @Override
    public void resizeDisk(String instanceId, String diskPath, long sizeBytes) {
        existing(instanceId);
    }

    @Override
    public List<String> applyQosLive(String instanceId, io.skiff.api.model.Qos qos) {
        return List.of("cpu shares", "next start: bandwidth");
    }

    @Override
    public String guestAgentCommand(String instanceId, String command, int timeoutSeconds) {
        return "{\"return\":{}}";
    }

    @Override
    public String attachDisk(String instanceId, DiskAttachment disk, DeviceProfile devices) {
        Domain d = existing(instanceId);
        if (failAttach) {
            throw SkiffException.conflict("disk", "instance " + instanceId + ": no free slot on bus virtio");
        }
        d.attached.add(disk.path());
        return "vd" + (char) ('a' + d.spec.disks().size() - 1);
    }

    @Override
    public void detachDisk(String instanceId, String diskPath, Duration timeout) {
        existing(instanceId).attached.remove(diskPath);
    }

    @Override
    public boolean changeMedia(String instanceId, String isoPath) {
        Domain d = existing(instanceId);
        if (d.spec.mediaDrive() == null) {
            throw SkiffException.conflict("media", "instance " + instanceId + " has no media drive");
        }
        DomainSpec s = d.spec;
        d.spec = new DomainSpec(s.instanceId(), s.name(), s.cores(), s.memoryBytes(), s.devices(), s.disks(), s.nics(),
                s.serialLogPath(), s.consoleListen(), s.consolePassword(), s.qos(),
                new DiskAttachment(isoPath, "raw", "cdrom", true), s.bootFrom());
        return d.state == DomainState.RUNNING;
    }

    private Domain existing(String id) {
        Domain d = domains.get(id);
        if (d == null) {
            throw new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found", "no domain for instance " + id, null);
        }
        return d;
    }
}
