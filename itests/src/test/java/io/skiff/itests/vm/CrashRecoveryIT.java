package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash recovery on the real distribution (all-in-one) and the machine's libvirtd (qemu:///system, TCG): several
 * concurrent creates, {@code kill -9} of the Karaf JVM while they run, a restart; then libvirt holds exactly the
 * domains and volumes of the instances the API lists, no task is left unfinished, and every create task either
 * succeeded or was rolled back — never {@code ROLLBACK_FAILED}. The kill comes at several moments, and in one round
 * the cell is made slow to come back (its bundle stopped just before the kill, so it stays stopped across the restart,
 * and started again only once a rollback is seen waiting for it): meanwhile the rollbacks wait, visible as
 * {@code ROLLING_BACK} with the reason and the next attempt, and nothing gives up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {
    private static final String PASSWORD = "crash-test-secret";
    private static final String STORAGE_POOL = "skiff-itest-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int CREATES = 6;
    private static VmTestNode fixture;
    private static RestClient api;
    private static int round;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.options("crash").ports(9981, 9982, 28070).password(PASSWORD).storagePool(STORAGE_POOL)
                .start();
        api = fixture.api;
        // addresses from a private test range (the guests have no network interface: nothing is sent anywhere)
        RestClient.Answer pool = api.post("/address-pools", "{\"name\":\"crash\",\"prefixLength\":24,"
                + "\"gateway\":\"10.254.99.1\",\"ranges\":[{\"first\":\"10.254.99.10\",\"last\":\"10.254.99.90\"}],"
                + "\"computePools\":[\"vms\"]}");
        assertEquals(201, pool.status(), pool.text());
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(120));
    }

    @Test
    @Order(1)
    void killAfterHalfASecond() throws Exception {
        crashRound(500, false);
    }

    @Test
    @Order(2)
    void killAfterOneAndAHalfSeconds() throws Exception {
        crashRound(1500, false);
    }

    @Test
    @Order(3)
    void killAfterThreeSeconds() throws Exception {
        crashRound(3000, false);
    }

    @Test
    @Order(4)
    void killAfterOneAndAHalfSecondsAgain() throws Exception {
        crashRound(1500, false);
    }

    @Test
    @Order(5)
    void killWhileTheCellIsSlowToComeBack() throws Exception {
        // at once: the creates must still be in flight when the cell stops (stopping it takes about a second)
        crashRound(0, true);
    }

    /**
     * One round: {@value #CREATES} creates at once, the kill after {@code killAfterMillis}, the restart, the checks,
     * and the deletion of whatever was created (so that every round starts from nothing).
     */
    private static void crashRound(long killAfterMillis, boolean slowCell) throws Exception {
        int r = ++round;
        // the previous round's restart waited for health UP only; a create needs the cell back in its pool
        fixture.awaitCellOnline(Duration.ofSeconds(60));
        // signed in beforehand, so that the cell stops the moment it is asked to
        ShellSession shell = slowCell ? ShellSession.open(fixture.sshPort(), "admin", PASSWORD) : null;
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < CREATES; i++) {
            RestClient.Answer created = api.post("/instances", "{\"name\":\"crash-" + r + "-" + i
                    + "\",\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":67108864,\"disks\":[{\"imageId\":\""
                    + fixture.imageId + "\"}],\"profile\":\"linux-virtio\",\"guestInit\":{\"hostname\":\"crash-" + r
                    + "-" + i + "\"}}");
            assertEquals(202, created.status(), created.text());
            tasks.add(created.body().path("id").asText());
        }
        // the moment of the kill is what this round tests: a pause, not a wait for something
        Thread.sleep(killAfterMillis);
        if (slowCell) {
            // stopped, the cell bundle stays stopped across the restart (OSGi keeps a bundle's stopped state)
            // the prompt came back: the command has run (its echo is coloured, so it is not looked for in the output;
            // the rollbacks seen waiting below show that the cell stopped)
            shell.run("bundle:stop skiff-cell");
            shell.close();
        }
        fixture.node.kill();
        long killedAt = System.nanoTime();
        fixture.restart();
        double up = (System.nanoTime() - killedAt) / 1e9;

        if (slowCell) {
            try {
                fixture.vms().await("a rollback waits for the cell, visible with its reason and next attempt",
                        () -> waitingForCell(tasks), Duration.ofSeconds(60));
            } finally {
                String out = fixture.shell("bundle:start skiff-cell");
                assertTrue(out.isBlank(), "the cell bundle starts: " + out);
            }
        }
        List<JsonNode> ended = new ArrayList<>();
        for (String t : tasks) {
            JsonNode task = fixture.vms().awaitTask(t, Duration.ofMinutes(4));
            String state = task.path("state").asText();
            assertTrue(state.equals("SUCCEEDED") || state.equals("FAILED"), "task ended " + task);
            ended.add(task);
        }
        double quiet = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(0, unfinished(), "no task is left unfinished: " + api.get("/tasks").text());

        Set<String> listed = new TreeSet<>();
        for (JsonNode i : api.get("/instances").body()) {
            listed.add(i.path("id").asText());
        }
        Set<String> attempted = new TreeSet<>();
        for (JsonNode task : ended) {
            String id = task.path("steps").get(0).path("data").path("instance").asText();
            if (!id.isEmpty()) {
                attempted.add(id);
            }
        }
        Set<String> domains = new TreeSet<>();
        for (String d : Virsh.domainNames()) {
            if (d.startsWith("skiff-") && attempted.contains(d.substring("skiff-".length()))) {
                domains.add(d.substring("skiff-".length()));
            }
        }
        Set<String> volumes = new TreeSet<>();
        for (String v : Virsh.volumeNames(STORAGE_POOL)) {
            volumes.add(v.replaceFirst("^skiff-", "").replaceFirst("-disk[0-9]+(\\.qcow2)?$", ""));
        }
        Set<String> files = new TreeSet<>();
        java.nio.file.Path cellFiles = fixture.node.home.resolve("data/skiff/cell/instances");
        if (java.nio.file.Files.isDirectory(cellFiles)) {
            try (var list = java.nio.file.Files.list(cellFiles)) {
                list.forEach(f -> files.add(f.getFileName().toString().replaceFirst("\\.json$", "")));
            }
        }
        Set<String> seeds = new TreeSet<>();
        java.nio.file.Path seedDir = fixture.node.home.resolve("data/skiff/seeds");
        if (java.nio.file.Files.isDirectory(seedDir)) {
            try (var list = java.nio.file.Files.list(seedDir)) {
                list.forEach(f -> seeds.add(f.getFileName().toString().replaceFirst("-seed\\.iso$", "")));
            }
        }
        Set<String> addresses = new TreeSet<>();
        for (JsonNode b : api.get("/address-pools/crash/bindings").body()) {
            addresses.add(b.path("holder").asText());
        }
        long succeeded = ended.stream().filter(t -> t.path("state").asText().equals("SUCCEEDED")).count();
        System.out.printf("[crash] round %d: kill after %d ms%s; health UP %.1f s after the kill, all %d tasks ended "
                        + "%.1f s after it: %d succeeded, %d rolled back; instances %d, their domains %d, volumes %d, "
                        + "cell files %d, seeds %d, addresses %d%n", r, killAfterMillis, slowCell ? " (cell bundle stopped across the restart)" : "",
                up, CREATES, quiet, succeeded, CREATES - succeeded, listed.size(), domains.size(), volumes.size(),
                files.size(), seeds.size(), addresses.size());
        assertEquals(listed, domains, "libvirt has exactly the domains of the listed instances");
        assertEquals(listed, volumes, "the pool has exactly the volumes of the listed instances");
        assertEquals(listed, files, "the cell has exactly the files of the listed instances");
        assertEquals(listed, seeds, "the cell has exactly the guest-init seeds of the listed instances");
        assertEquals(listed, addresses, "the address pool binds exactly the listed instances");

        for (String id : listed) {
            fixture.vms().succeeded(api.delete("/instances/" + id + "?force=true"));
        }
        assertTrue(Virsh.volumeNames(STORAGE_POOL).isEmpty(), "the round leaves nothing: "
                + Virsh.volumeNames(STORAGE_POOL));
    }

    private static boolean waitingForCell(List<String> tasks) {
        for (String t : tasks) {
            JsonNode task = api.get("/tasks/" + t).body();
            if (task.path("state").asText().equals("ROLLING_BACK")
                    && task.path("message").asText().contains("not ready")
                    && task.path("message").asText().matches("(?s).*attempt \\d+ at .*")) {
                System.out.println("[crash] waiting for the cell: " + task.path("message").asText());
                return true;
            }
        }
        return false;
    }

    private static long unfinished() {
        long n = 0;
        for (JsonNode t : api.get("/tasks").body()) {
            String state = t.path("state").asText();
            if (!state.equals("SUCCEEDED") && !state.equals("FAILED")) {
                n++;
            }
        }
        return n;
    }
}
