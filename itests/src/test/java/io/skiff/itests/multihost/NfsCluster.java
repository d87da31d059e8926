package io.skiff.itests.multihost;

import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two hosts of a multi-host test bed that keep their volumes on the bed's NFS export: the Core (all-in-one) on host 1
 * and a Cell-only node on host 2, each a Karaf inside its host's namespaces with {@code skiff-storage-nfs} in
 * {@code libnfs} mode as its default storage pool and the cell settings that let instances move between them. The
 * Core is UP and the cell started when {@link #start} returns; the cells are not in any compute pool yet. Used by
 * {@link NfsInstanceIT} and by the migration benchmark.
 */
public final class NfsCluster implements AutoCloseable {
    /** The storage pool name both cells give the export. */
    public static final String NFS_POOL = "skiff-nfs";

    public final TestBed bed;
    public final KarafNode core;
    public final KarafNode cell;
    public final RestClient api;

    private NfsCluster(TestBed bed, KarafNode core, KarafNode cell, RestClient api) {
        this.bed = bed;
        this.core = core;
        this.cell = cell;
        this.api = api;
    }

    /**
     * @param nodes where the bed and the Karaf homes go
     * @param archive the distribution (the assembly's tar.gz)
     * @param name the cluster domain; the bed's directory is {@code bed-<name>}
     * @param nodePrefix the Karaf homes are {@code <nodePrefix>-host1} and {@code <nodePrefix>-host2}
     * @param password the first admin's password
     */
    public static NfsCluster start(Path nodes, Path archive, String name, String nodePrefix, String password)
            throws Exception {
        return start(nodes, archive, name, nodePrefix, password, false);
    }

    /**
     * The same, and with {@code leases} a bed whose hosts' libvirtd use virtlockd ({@link TestBed#leaseDirectory()})
     * and cells whose {@code leaseDirectory} is that lockspace: each domain holds its instance's storage lease.
     */
    public static NfsCluster start(Path nodes, Path archive, String name, String nodePrefix, String password,
                                   boolean leases) throws Exception {
        TestBed bed = TestBed.up(nodes.resolve("bed-" + name), 2, true, leases);
        KarafNode core = null;
        KarafNode cell = null;
        try {
            String members = BedNodes.members(bed, 2);
            core = BedNodes.node(bed, archive, nodes, nodePrefix + "-host1", 1, members, name);
            cell = BedNodes.node(bed, archive, nodes, nodePrefix + "-host2", 2, members, name);
            cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-storage-nfs, skiff-cell");
            core.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone",
                    "skiff-storage-nfs, skiff-allinone");
            for (int host = 1; host <= 2; host++) {
                KarafNode node = host == 1 ? core : cell;
                node.writeConfig("io.skiff.storage.nfs", Map.of("server", bed.nfsAddress(), "export",
                        bed.nfsExport(), "mode", "libnfs", "poolName", NFS_POOL, "skiff.storage.pools", NFS_POOL));
                Map<String, String> settings = new LinkedHashMap<>(Map.of("storageProvider", "nfs",
                        "storagePool", NFS_POOL));
                if (leases) {
                    settings.put("leaseDirectory", bed.leaseDirectory());
                }
                node.writeConfig("io.skiff.cell.instances", BedNodes.movableCell(bed, host, settings));
            }
            core.start(Map.of("SKIFF_ADMIN_PASSWORD", password), bed.launcher(1));
            int httpPort = bed.forward(1, 8181);
            RestClient api = new RestClient(httpPort, "admin", password);
            BedNodes.awaitCoreUp(core, httpPort, Duration.ofMinutes(3));
            // every node of a domain needs the cluster key the first node generated
            KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
            cell.start(Map.of(), bed.launcher(2));
            return new NfsCluster(bed, core, cell, api);
        } catch (Exception | Error e) {
            BedNodes.stop(bed, cell, core);
            throw e;
        }
    }

    /** Kills both nodes and takes the bed down, with the export's directory and whatever is left on it. */
    @Override
    public void close() throws Exception {
        BedNodes.stop(bed, cell, core);
    }
}
