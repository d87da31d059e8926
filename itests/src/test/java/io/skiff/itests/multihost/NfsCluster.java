package io.skiff.itests.multihost;

import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts of a multi-host test bed that keep their volumes on the bed's NFS export: the Core (all-in-one) on host 1
 * and a Cell-only node on host 2 (and 3, ... when asked for), each a Karaf inside its host's namespaces with {@code skiff-storage-nfs} in
 * {@code libnfs} mode as its default storage pool and the cell settings that let instances move between them. The
 * Core is UP and the cell started when {@link #start} returns; the cells are not in any compute pool yet. Used by
 * {@link NfsInstanceIT}, {@link FailoverIT} and by the migration benchmark.
 */
public final class NfsCluster implements AutoCloseable {
    /** The storage pool name both cells give the export. */
    public static final String NFS_POOL = "skiff-nfs";

    public final TestBed bed;
    public final KarafNode core;
    /** The Cell-only node of host 2. */
    public final KarafNode cell;
    /** The Cell-only nodes of hosts 2, 3, ...: {@code cells.get(0)} is host 2's. */
    public final List<KarafNode> cells;
    public final RestClient api;
    /** The loopback port that reaches the Core's HTTP port (8181, the REST API and the portal). */
    public final int httpPort;

    private NfsCluster(TestBed bed, KarafNode core, List<KarafNode> cells, RestClient api, int httpPort) {
        this.httpPort = httpPort;
        this.bed = bed;
        this.core = core;
        this.cell = cells.get(0);
        this.cells = List.copyOf(cells);
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
        return start(nodes, archive, name, nodePrefix, password, 2, leases);
    }

    /** The same with {@code hosts - 1} Cell-only nodes (hosts 2 to {@code hosts}, homes {@code <nodePrefix>-host<n>}). */
    public static NfsCluster start(Path nodes, Path archive, String name, String nodePrefix, String password,
                                   int hosts, boolean leases) throws Exception {
        TestBed bed = TestBed.up(nodes.resolve("bed-" + name), hosts, true, leases);
        KarafNode core = null;
        List<KarafNode> cells = new ArrayList<>();
        try {
            String members = BedNodes.members(bed, hosts);
            core = BedNodes.node(bed, archive, nodes, nodePrefix + "-host1", 1, members, name);
            for (int host = 2; host <= hosts; host++) {
                KarafNode cell = BedNodes.node(bed, archive, nodes, nodePrefix + "-host" + host, host, members, name);
                cell.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone",
                        "skiff-storage-nfs, skiff-cell");
                cells.add(cell);
            }
            core.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone",
                    "skiff-storage-nfs, skiff-allinone");
            for (int host = 1; host <= hosts; host++) {
                KarafNode node = host == 1 ? core : cells.get(host - 2);
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
            for (int host = 2; host <= hosts; host++) {
                KarafNode cell = cells.get(host - 2);
                KarafNode.copy(core.home.resolve("etc/skiff-cluster.key"), cell.home.resolve("etc/skiff-cluster.key"));
                cell.start(Map.of(), bed.launcher(host));
            }
            return new NfsCluster(bed, core, cells, api, httpPort);
        } catch (Exception | Error e) {
            List<KarafNode> all = new ArrayList<>(cells);
            all.add(core);
            BedNodes.stop(bed, all.toArray(KarafNode[]::new));
            throw e;
        }
    }

    /** Kills both nodes and takes the bed down, with the export's directory and whatever is left on it. */
    @Override
    public void close() throws Exception {
        List<KarafNode> all = new ArrayList<>(cells);
        all.add(core);
        BedNodes.stop(bed, all.toArray(KarafNode[]::new));
    }
}
