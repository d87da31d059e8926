package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.multihost.BedNodes;
import io.skiff.itests.multihost.NfsCluster;
import io.skiff.itests.multihost.TestBed;
import io.skiff.itests.system.RestClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Instances on shared storage moving between hosts, on the multi-host test bed ({@code scripts/testbed.sh}: two
 * simulated hosts, each with its own libvirtd, and an nfs-ganesha server, all inside network namespaces of their own)
 * with the real distribution: the Core (all-in-one) on host 1, a cell on host 2, both keeping volumes on the bed's NFS
 * export ({@code skiff-storage-nfs}, libnfs mode). It measures
 * <ul>
 *   <li><b>create on NFS</b>: {@code POST /instances} accepted → the task SUCCEEDED (the domain runs) → the guest's
 *       READY line on its console, for the test guest image and for a big image (the same guest with
 *       {@code skiff.bench.bigImageMib} MiB of data added): the first instance of each image (its image is copied
 *       into the NFS pool) and the next ones (a linked clone only: must not grow with the image);</li>
 *   <li><b>live migration</b> of a 128 MiB guest through Skiff ({@code POST /instances/{id}/migrate}, to the other
 *       host each time): request → task SUCCEEDED, libvirt's migration job, downtime;</li>
 *   <li>the <b>baseline</b> from the same run: the same domain, after both Karaf nodes were killed, migrated by
 *       {@code virsh migrate --live --p2p --persistent --tls} (with the cells' certificates; the VNC address
 *       rewritten with {@code --xml}, as Skiff does), the job and downtime from
 *       {@code virsh domjobinfo --completed} on the source, which then undefines
 *       its copy (not timed).</li>
 * </ul>
 * Options: {@code skiff.bench.migrations} (moves each way, default 5), {@code skiff.bench.creates} (instances per
 * image, default 3), {@code skiff.bench.bigImageMib} (default 1024), {@code skiff.bench.distribution}. Needs root,
 * the packages of {@code scripts/deps.sh} and the cached test guest; everything it starts is removed at the end, also
 * after a failure.
 */
public final class MigrationBenchmark {
    private static final String PASSWORD = "migration-bench";
    private static final long GUEST_MEMORY = 128L << 20;
    private static final Pattern DOWNTIME = Pattern.compile("Total downtime:\\s+(\\d+)\\s+ms");
    private static final Pattern ELAPSED = Pattern.compile("Time elapsed:\\s+(\\d+)\\s+ms");

    private final NfsCluster cluster;
    private final RestClient api;
    private final BedApi calls;

    private MigrationBenchmark(NfsCluster cluster) {
        this.cluster = cluster;
        this.api = cluster.api;
        this.calls = new BedApi(cluster.api);
    }

    public static void main(String[] args) throws Exception {
        int migrations = Integer.getInteger("skiff.bench.migrations", 5);
        int creates = Integer.getInteger("skiff.bench.creates", 3);
        long bigMib = Long.getLong("skiff.bench.bigImageMib", 1024);
        Path archive = BedBenchmarks.distribution();
        Path dir = BedBenchmarks.freshDirectory("migration");
        Path small = TestGuest.image();
        Path big = bigImage(small, dir, bigMib);
        try (NfsCluster cluster = NfsCluster.start(dir, archive, "migration-bench", "bench", PASSWORD)) {
            new MigrationBenchmark(cluster).run(small, big, creates, migrations);
        }
        System.exit(0); // the HTTP client's threads must not keep Maven waiting
    }

    /** The test guest with {@code mib} MiB of non-zero data after its own disk content: it still boots. */
    private static Path bigImage(Path small, Path dir, long mib) throws Exception {
        Path big = dir.resolve("test-guest-plus-" + mib + "m.qcow2");
        Files.copy(small, big);
        String info = Commands.run(Duration.ofSeconds(30), "qemu-img", "info", "--output=json", big.toString())
                .orThrow().stdout();
        Matcher m = Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no virtual size in " + info);
        }
        long offset = Long.parseLong(m.group(1));
        Commands.run(Duration.ofSeconds(30), "qemu-img", "resize", "-q", big.toString(), "+" + mib + "M").orThrow();
        Commands.run(Duration.ofMinutes(10), "qemu-io", "-f", "qcow2", "-c", "write -q -P 0x5a " + offset + " "
                + mib + "M", big.toString()).orThrow();
        return big;
    }

    private void run(Path small, Path big, int creates, int migrations) throws Exception {
        List<String> images = List.of(importImage("test-guest", small), importImage("test-guest-big", big));
        BedApi.check(api.post("/pools", "{\"name\":\"bench\"}"), 201);
        for (String cell : List.of("host1", "host2")) {
            BedNodes.awaitCell(api, cell, c -> c.path("status").asText().equals("ONLINE"), Duration.ofMinutes(3));
            BedApi.check(api.post("/cells/" + cell + "/add-to-pool", "{\"pool\":\"bench\"}"), 200);
            // both cells hold certificates of the cluster CA: Skiff's moves and the baseline's use migration TLS
            BedNodes.awaitCell(api, cell, c -> c.path("migrationTls").asText().equals("ready"), Duration.ofMinutes(1));
        }

        System.out.printf("%ncreate on NFS, %d MiB guest           accepted→running  accepted→READY%n",
                GUEST_MEMORY >> 20);
        for (int i = 0; i < images.size(); i++) {
            Path file = i == 0 ? small : big;
            List<double[]> times = new ArrayList<>();
            for (int n = 0; n < creates; n++) {
                String id = "bench-c" + i + "-" + n;
                times.add(createAndBoot(id, images.get(i)));
                calls.succeed(api.delete("/instances/" + id + "?force=true"), Duration.ofMinutes(2));
            }
            String label = String.format(Locale.ROOT, "%d MiB image", Files.size(file) >> 20);
            System.out.printf("  %-34s %9.2f s %14.2f s%n", label + ", first (into the pool)", times.get(0)[0],
                    times.get(0)[1]);
            List<double[]> next = times.subList(1, times.size());
            System.out.printf("  %-34s %s %s%n", label + ", next (linked clone)", Figures.seconds(next, 0),
                    Figures.seconds(next, 1));
        }

        String id = "bench-move";
        createAndBoot(id, images.get(0));
        String domain = "skiff-" + calls.instance(id).path("id").asText();
        List<double[]> skiff = new ArrayList<>();
        for (int n = 0; n < migrations * 2; n++) {
            skiff.add(migrate(id));
        }
        double uptime = BedNodes.awaitHeartbeat(api, id, 0);
        int host = calls.instance(id).path("cellId").asText().equals("host1") ? 1 : 2;
        cluster.core.kill();
        cluster.cell.kill();
        List<double[]> virsh = new ArrayList<>();
        for (int n = 0; n < migrations * 2; n++) {
            virsh.add(virshMigrate(cluster.bed, domain, host, 3 - host));
            host = 3 - host;
        }
        System.out.printf("%nlive migration, %d MiB guest, disk on NFS  total          migrate call   libvirt job"
                + "    downtime%n", GUEST_MEMORY >> 20);
        System.out.printf("  %-39s %s %s %s %s%n", "Skiff: POST /migrate → task SUCCEEDED",
                Figures.of(skiff, 0, 1000), Figures.of(skiff, 1, 1000), Figures.of(skiff, 3, 1000),
                Figures.of(skiff, 2, 1));
        System.out.printf("  %-39s %s %s %s %s%n", "baseline: virsh migrate --live --p2p --tls",
                Figures.of(virsh, 3, 1000), Figures.of(virsh, 0, 1000), Figures.of(virsh, 1, 1000),
                Figures.of(virsh, 2, 1));
        System.out.printf("  (%d moves each, all over QEMU's migration TLS: median (min–max); total and calls in s,"
                + " downtime in ms; the guest's uptime %.0f s after the Skiff moves: it never restarted)%n",
                migrations * 2, uptime);
    }

    private String importImage(String name, Path file) {
        RestClient.Answer a = api.post("/images", "{\"name\":\"" + name + "\",\"path\":\"" + file + "\"}");
        BedApi.check(a, 201);
        return a.body().path("id").asText();
    }

    /** @return seconds from accepted to running, and to the guest's READY line */
    private double[] createAndBoot(String name, String imageId) throws Exception {
        long t0 = System.nanoTime();
        RestClient.Answer accepted = api.post("/instances", "{\"name\":\"" + name + "\",\"poolId\":\"bench\","
                + "\"cores\":1,\"memoryBytes\":" + GUEST_MEMORY + ",\"disks\":[{\"imageId\":\"" + imageId
                + "\"}],\"profile\":\"linux-virtio\"}");
        calls.succeed(accepted, Duration.ofMinutes(5));
        double running = (System.nanoTime() - t0) / 1e9;
        await(name + " READY").atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100)).until(() -> api.get("/instances/" + name + "/console-log")
                        .text().contains(TestGuest.READY));
        return new double[] {running, (System.nanoTime() - t0) / 1e9};
    }

    /**
     * Moves the instance to the other cell; @return ms from the request to the task's success, of the hypervisor's
     * migrate call (the step's {@code wallMillis}) and of downtime, and NaN (libvirt's job time, not recorded)
     */
    private double[] migrate(String name) throws Exception {
        String target = calls.instance(name).path("cellId").asText().equals("host1") ? "host2" : "host1";
        long t0 = System.nanoTime();
        JsonNode task = calls.succeed(api.post("/instances/" + name + "/migrate", "{\"cell\":\"" + target + "\"}"),
                Duration.ofMinutes(3));
        double wall = (System.nanoTime() - t0) / 1e6;
        for (JsonNode step : task.path("steps")) {
            if (step.path("kind").asText().equals("migrate.move")) {
                JsonNode data = step.path("data");
                return new double[] {wall, data.path("wallMillis").asDouble(), data.path("downtimeMillis").asDouble(),
                    Double.NaN};
            }
        }
        throw new IllegalStateException("no migrate.move step in " + task);
    }

    /**
     * The baseline: libvirt alone moves the domain from host {@code from} to host {@code to}; @return ms of the
     * {@code virsh migrate} command, of libvirt's job and of downtime, and NaN (no task around it)
     */
    private static double[] virshMigrate(TestBed bed, String domain, int from, int to) throws Exception {
        String xml = bed.virsh(from, "dumpxml", "--migratable", domain).orThrow().stdout()
                .replace("'" + bed.hostAddress(from) + "'", "'" + bed.hostAddress(to) + "'");
        Path file = Files.createTempFile("skiff-bench-migrate-", ".xml");
        try {
            Files.writeString(file, xml);
            long t0 = System.nanoTime();
            bed.virsh(from, "migrate", "--live", "--p2p", "--persistent", "--abort-on-error", "--tls", "--xml",
                    file.toString(), domain, "qemu+tcp://" + bed.hostAddress(to) + "/system").orThrow();
            double wall = (System.nanoTime() - t0) / 1e6;
            // the source keeps the completed job's statistics while the domain stays defined there (as with Skiff,
            // whose release step undefines the source's copy after the switch)
            String job = bed.virsh(from, "domjobinfo", "--completed", domain).orThrow().stdout();
            bed.virsh(from, "undefine", domain).orThrow();
            return new double[] {wall, number(ELAPSED, job), number(DOWNTIME, job), Double.NaN};
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
