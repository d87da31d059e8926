package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.Snapshot;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.SnapshotProvider;
import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.libvirt.SkiffDomains;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Snapshots as libvirt internal snapshots inside the instance's qcow2 volumes: incremental (qcow2 keeps only the
 * clusters that changed since), taken on stopped and on running guests (then with the guest's memory, so a revert
 * resumes it where it was). libvirt keeps the tree; deleting a snapshot re-parents its children, which stay valid
 * because qcow2 internal snapshots do not depend on each other.
 */
@Component(service = SnapshotProvider.class, configurationPid = "io.skiff.snapshot.qcow2",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = Skiff.PROVIDER_PROPERTY + "=qcow2")
@Designate(ocd = Qcow2SnapshotConfig.class)
public class Qcow2SnapshotProvider implements SnapshotProvider {
    private static final Logger LOG = LoggerFactory.getLogger(Qcow2SnapshotProvider.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final LibvirtConnection libvirt;

    @Activate
    public Qcow2SnapshotProvider(Qcow2SnapshotConfig config) {
        this(new LibvirtConnection(config.uri()));
    }

    Qcow2SnapshotProvider(LibvirtConnection libvirt) {
        this.libvirt = libvirt;
    }

    @Deactivate
    void close() {
        libvirt.close();
    }

    @Override
    public Snapshot create(String instanceId, String name, String description) {
        checkName(name);
        if (description != null && description.length() > 1024) {
            throw SkiffException.invalid("description", "at most 1024 characters");
        }
        String domainName = SkiffDomains.domainName(instanceId);
        return call(instanceId, "creating snapshot '" + name + "'", connect -> {
            Domain domain = connect.domainLookupByName(domainName);
            if (List.of(domain.snapshotListNames()).contains(name)) {
                throw SkiffException.conflict("name", "instance " + instanceId + " already has a snapshot '" + name + "'");
            }
            List<String> unsupported = SnapshotXml.disksWithoutSnapshots(domain.getXMLDesc(0));
            if (!unsupported.isEmpty()) {
                throw SkiffException.invalid("instance", "instance " + instanceId + " has disks that cannot be "
                        + "snapshotted (only qcow2 volumes can): " + String.join(", ", unsupported));
            }
            refuseStoppedOnNetworkDisks(domain, instanceId, "take a snapshot");
            long started = System.nanoTime();
            DomainSnapshot snapshot = domain.snapshotCreateXML(SnapshotXml.request(name, description), 0);
            try {
                Snapshot created = SnapshotXml.snapshot(instanceId, snapshot.getXMLDesc(), true);
                LOG.info("Instance {}: snapshot '{}' created ({}, {} ms)", instanceId, name, created.instanceState(),
                        (System.nanoTime() - started) / 1_000_000);
                return created;
            } finally {
                snapshot.free();
            }
        });
    }

    @Override
    public List<Snapshot> list(String instanceId) {
        String domainName = SkiffDomains.domainName(instanceId);
        List<Snapshot> all = call(instanceId, "listing snapshots", connect -> {
            Domain domain = connect.domainLookupByName(domainName);
            String current = currentName(domain);
            List<Snapshot> found = new ArrayList<>();
            for (String name : domain.snapshotListNames()) {
                DomainSnapshot s = domain.snapshotLookupByName(name);
                try {
                    found.add(SnapshotXml.snapshot(instanceId, s.getXMLDesc(), name.equals(current)));
                } finally {
                    s.free();
                }
            }
            return found;
        });
        return parentsFirst(all);
    }

    @Override
    public void revert(String instanceId, String name) {
        String domainName = SkiffDomains.domainName(instanceId);
        call(instanceId, "reverting to snapshot '" + name + "'", connect -> {
            Domain domain = connect.domainLookupByName(domainName);
            DomainSnapshot snapshot = lookup(domain, instanceId, name);
            try {
                domain.revertToSnapshot(snapshot);
            } finally {
                snapshot.free();
            }
            LOG.info("Instance {}: reverted to snapshot '{}'", instanceId, name);
            return null;
        });
    }

    @Override
    public void delete(String instanceId, String name) {
        String domainName = SkiffDomains.domainName(instanceId);
        call(instanceId, "deleting snapshot '" + name + "'", connect -> {
            Domain domain = connect.domainLookupByName(domainName);
            DomainSnapshot snapshot = lookup(domain, instanceId, name);
            try {
                refuseStoppedOnNetworkDisks(domain, instanceId, "delete a snapshot");
                snapshot.delete(0); // children are re-parented onto this snapshot's parent
            } finally {
                snapshot.free();
            }
            LOG.info("Instance {}: snapshot '{}' deleted", instanceId, name);
            return null;
        });
    }

    /**
     * libvirt changes the snapshots of a stopped domain with {@code qemu-img} on local files only; a domain with a
     * disk on network storage (an NFS volume) has its snapshots taken and deleted by QEMU, while it runs.
     */
    private static void refuseStoppedOnNetworkDisks(Domain domain, String instanceId, String what)
            throws LibvirtException {
        if (domain.isActive() == 1) {
            return;
        }
        List<String> network = SnapshotXml.networkDisks(domain.getXMLDesc(0));
        if (!network.isEmpty()) {
            throw SkiffException.conflict("instance", "instance " + instanceId + " is stopped and has disks on "
                    + "network storage (" + String.join(", ", network) + "): libvirt can " + what + " of such disks "
                    + "only while the instance runs; start it first");
        }
    }

    private static DomainSnapshot lookup(Domain domain, String instanceId, String name) throws LibvirtException {
        checkName(name);
        if (!List.of(domain.snapshotListNames()).contains(name)) {
            throw new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found",
                    "instance " + instanceId + " has no snapshot '" + name + "'", "snapshot");
        }
        return domain.snapshotLookupByName(name);
    }

    private static String currentName(Domain domain) throws LibvirtException {
        if (domain.hasCurrentSnapshot() != 1) {
            return null;
        }
        DomainSnapshot current = domain.snapshotCurrent();
        try {
            return SnapshotXml.snapshot("", current.getXMLDesc(), true).name();
        } finally {
            current.free();
        }
    }

    /** Orders a tree parents first; siblings oldest first. */
    static List<Snapshot> parentsFirst(List<Snapshot> all) {
        List<Snapshot> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Snapshot::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Snapshot::name));
        Set<String> names = new HashSet<>();
        sorted.forEach(s -> names.add(s.name()));
        List<Snapshot> out = new ArrayList<>();
        Deque<Snapshot> stack = new ArrayDeque<>();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Snapshot s = sorted.get(i);
            if (s.parentId() == null || !names.contains(s.parentId())) {
                stack.push(s);
            }
        }
        while (!stack.isEmpty()) {
            Snapshot s = stack.pop();
            out.add(s);
            List<Snapshot> children = sorted.stream().filter(c -> s.name().equals(c.parentId())).toList();
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
        return out;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SkiffException.invalid("name", "a snapshot name of letters, digits, '.', '_' and '-' "
                    + "(1 to 64, starting with a letter or digit) is required");
        }
    }

    private <T> T call(String instanceId, String action, LibvirtConnection.Call<T> call) {
        try {
            return libvirt.call(call);
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                throw SkiffException.notFound("instance", "instance", instanceId);
            }
            throw LibvirtErrors.toSkiff("instance " + instanceId, action, e);
        }
    }
}
