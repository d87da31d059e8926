package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.multihost.BedNodes;
import io.skiff.itests.multihost.NfsCluster;
import io.skiff.itests.multihost.TestBed;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Failover on the multi-host test bed ({@code scripts/testbed.sh}: three simulated hosts, each with its own libvirtd
 * and virtlockd, and an nfs-ganesha server, all inside network namespaces of their own) with the real distribution:
 * the Core on host 1, cells on hosts 2 and 3 in a compute pool with {@code failover} on and the bed's NFS export as
 * its storage pool, the default settings (FD_ALL3 3 s, {@code isolationSeconds} 5, {@code failoverMarginSeconds} 3).
 * One 128 MiB instance goes back and forth between hosts 2 and 3. It measures, per run:
 * <ul>
 *   <li><b>host crash</b> ({@code testbed.sh crash}: kill -9 of the host's Karaf, libvirtd, virtlockd and QEMU):
 *       <i>detection</i>, kill → {@code GET /cells/{id}} says {@code OFFLINE}; <i>recovery</i>, kill → the other
 *       host's {@code virsh list} shows the instance's domain running. Then the host boots again
 *       ({@code testbed.sh boot}, its Karaf started) and the Core removes its stale copy;</li>
 *   <li><b>cut link</b> (the host's cable pulled, the host keeps running, no connection is closed: the case of a
 *       host that loses power without a word): detection, <i>fence</i> (cut → the cut-off host's own libvirtd no
 *       longer runs the domain) and recovery; then the cable is plugged again and the stale copy removed.</li>
 * </ul>
 * The <b>baseline</b> from the same run: with every Karaf killed, the domain moved by hand, as fast as libvirt goes
 * with nobody detecting or waiting: {@code virsh destroy} on its host, then {@code virsh define} and
 * {@code virsh start} on the other (timed), the first undefined. Polls every 50 ms (REST and {@code virsh} take a few
 * ms each). Options: {@code skiff.bench.failovers} (runs of each kind, default 10), {@code skiff.bench.distribution}.
 * Needs root, the packages of {@code scripts/deps.sh} and the cached test guest; everything it starts is removed at
 * the end, also after a failure.
 */
public final class FailoverBenchmark {
    private static final String PASSWORD = "failover-bench";
    private static final long GUEST_MEMORY = 128L << 20;
    private static final String NAME = "ha-bench";

    private final NfsCluster cluster;
    private final TestBed bed;
    private final RestClient api;
    private final BedApi calls;
    private String domain;

    private FailoverBenchmark(NfsCluster cluster) {
        this.cluster = cluster;
        this.bed = cluster.bed;
        this.api = cluster.api;
        this.calls = new BedApi(cluster.api);
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("skiff.bench.failovers", 10);
        Path archive = BedBenchmarks.distribution();
        Path dir = BedBenchmarks.freshDirectory("failover");
        Path image = TestGuest.image();
        try (NfsCluster cluster = NfsCluster.start(dir, archive, "failover-bench", "fbench", PASSWORD, 3, true)) {
            new FailoverBenchmark(cluster).run(image, runs);
        }
        System.exit(0); // the HTTP client's threads must not keep Maven waiting
    }

    private void run(Path image, int runs) throws Exception {
        RestClient.Answer imported = BedApi.check(api.post("/images", "{\"name\":\"test-guest\",\"path\":\""
                + image + "\"}"), 201);
        for (String cell : List.of("host1", "host2", "host3")) {
            BedNodes.awaitCell(api, cell, c -> c.path("status").asText().equals("ONLINE"), Duration.ofMinutes(3));
        }
        BedApi.check(api.post("/pools", "{\"name\":\"ha\"}"), 201);
        BedApi.check(api.post("/storage-pools", "{\"name\":\"ha-nfs\",\"type\":\"nfs\",\"server\":\""
                + bed.nfsAddress() + "\",\"export\":\"" + bed.nfsExport() + "\",\"mode\":\"libnfs\"}"), 201);
        BedApi.check(api.post("/storage-pools/ha-nfs/attach", "{\"computePool\":\"ha\"}"), 200);
        BedApi.check(api.put("/pools/ha", "{\"failover\":true}"), 200);
        for (String cell : List.of("host2", "host3")) {
            BedApi.check(api.post("/cells/" + cell + "/add-to-pool", "{\"pool\":\"ha\"}"), 200);
        }
        calls.succeed(api.post("/instances", "{\"name\":\"" + NAME + "\",\"poolId\":\"ha\",\"cores\":1,"
                + "\"memoryBytes\":" + GUEST_MEMORY + ",\"disks\":[{\"imageId\":\""
                + imported.body().path("id").asText() + "\"}],\"profile\":\"linux-virtio\"}"), Duration.ofMinutes(5));
        domain = "skiff-" + calls.instance(NAME).path("id").asText();
        // booted: by then its cell has described it to the Core (disks, MAC), which a failover needs
        await(NAME + " READY").atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).until(() -> api.get("/instances/" + NAME + "/console-log")
                        .text().contains(TestGuest.READY));

        List<double[]> crashes = new ArrayList<>();
        List<double[]> cuts = new ArrayList<>();
        for (int n = 0; n < runs; n++) {
            crashes.add(crash());
            System.out.printf(Locale.ROOT, "  crash %d: detection %.2f s, recovery %.2f s%n", n + 1,
                    crashes.get(n)[0], crashes.get(n)[1]);
        }
        for (int n = 0; n < runs; n++) {
            cuts.add(cut());
            System.out.printf(Locale.ROOT, "  cut %d: detection %.2f s, fence %.2f s, recovery %.2f s%n", n + 1,
                    cuts.get(n)[0], cuts.get(n)[2], cuts.get(n)[1]);
        }
        int host = hostOf(NAME);
        cluster.core.kill();
        for (KarafNode cell : cluster.cells) {
            cell.kill();
        }
        List<double[]> baseline = new ArrayList<>();
        for (int n = 0; n < runs; n++) {
            baseline.add(new double[] {Double.NaN, moveByHand(host, 5 - host)});
            host = 5 - host;
        }

        System.out.printf("%nfailover of a %d MiB guest, disk on NFS  detection              recovery               fence%n",
                GUEST_MEMORY >> 20);
        System.out.printf("  %-38s %s %s %s%n", "host crash (kill -9 of the host)", Figures.seconds(crashes, 0),
                Figures.seconds(crashes, 1), "-");
        System.out.printf("  %-38s %s %s %s%n", "cut link (the host keeps running)", Figures.seconds(cuts, 0),
                Figures.seconds(cuts, 1), Figures.seconds(cuts, 2));
        System.out.printf("  %-38s %s %s %s%n", "baseline: virsh define + start by hand", "-",
                Figures.seconds(baseline, 1), "-");
        System.out.printf(Locale.ROOT, "  (%d runs each: median (min–max); max detection %.2f s, max recovery %.2f s;"
                + " targets: detection < 5 s, recovery < 15 s)%n", runs,
                Math.max(Figures.max(crashes, 0), Figures.max(cuts, 0)),
                Math.max(Figures.max(crashes, 1), Figures.max(cuts, 1)));
    }

    /** @return seconds from the crash to the cell offline, and to the domain running on the other host */
    private double[] crash() throws Exception {
        int from = hostOf(NAME);
        long t0 = System.nanoTime();
        bed.crash(from);
        double[] times = awaitFailover(from, t0, false);
        bed.boot(from);
        cluster.cells.get(from - 2).start(Map.of(), bed.launcher(from));
        awaitBack(from);
        return times;
    }

    /** @return seconds from the cut to the cell offline, to the domain running on the other host, to its fence */
    private double[] cut() throws Exception {
        int from = hostOf(NAME);
        long t0 = System.nanoTime();
        bed.link(from, false);
        double[] times;
        try {
            times = awaitFailover(from, t0, true);
        } finally {
            bed.link(from, true);
        }
        awaitBack(from);
        return times;
    }

    /** Polls every 50 ms until the instance runs on the other host; @return detection, recovery (and fence) in s */
    private double[] awaitFailover(int from, long t0, boolean fence) {
        double[] times = {Double.NaN, Double.NaN, Double.NaN};
        int to = 5 - from;
        await("failover from host " + from).atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    double now = (System.nanoTime() - t0) / 1e9;
                    if (Double.isNaN(times[0]) && api.get("/cells/host" + from).body().path("status").asText()
                            .equals("OFFLINE")) {
                        times[0] = now;
                    }
                    if (fence && Double.isNaN(times[2]) && !running(from)) {
                        times[2] = now;
                    }
                    if (Double.isNaN(times[1]) && running(to)) {
                        times[1] = (System.nanoTime() - t0) / 1e9;
                    }
                    return !Double.isNaN(times[0]) && !Double.isNaN(times[1]) && (!fence || !Double.isNaN(times[2]));
                });
        JsonNode after = calls.instance(NAME);
        if (!after.path("cellId").asText().equals("host" + to)) {
            throw new IllegalStateException("the record does not name host " + to + ": " + after);
        }
        return times;
    }

    /** Waits until the lost cell is online again and the Core has removed its stale copy. */
    private void awaitBack(int host) {
        BedNodes.awaitCell(api, "host" + host, c -> c.path("status").asText().equals("ONLINE"),
                Duration.ofMinutes(3));
        await("stale copy on host " + host + " removed").atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).until(() -> !bed.domains(host).contains(domain));
    }

    /** The baseline: destroy on one host, then define and start on the other; @return seconds of the latter */
    private double moveByHand(int from, int to) throws Exception {
        String xml = bed.virsh(from, "dumpxml", "--inactive", domain).orThrow().stdout()
                .replace("'" + bed.hostAddress(from) + "'", "'" + bed.hostAddress(to) + "'");
        Path file = Files.createTempFile("skiff-bench-failover-", ".xml");
        try {
            Files.writeString(file, xml);
            bed.virsh(from, "destroy", domain).orThrow();
            long t0 = System.nanoTime();
            bed.virsh(to, "define", file.toString()).orThrow();
            bed.virsh(to, "start", domain).orThrow();
            double seconds = (System.nanoTime() - t0) / 1e9;
            bed.virsh(from, "undefine", domain).orThrow();
            return seconds;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private int hostOf(String name) {
        return Integer.parseInt(calls.instance(name).path("cellId").asText().substring("host".length()));
    }

    private boolean running(int host) {
        return bed.running(host).contains(domain);
    }
}
