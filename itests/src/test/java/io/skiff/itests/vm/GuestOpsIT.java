package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.Commands;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Day-two operations on real guests (libvirt qemu:///system, QEMU TCG, the test guest): guest initialisation from
 * a NoCloud seed (host name, a data disk formatted and mounted, the admin password only ever as a hash), QoS in the
 * domain definition and changed live, password reset and host name change through the guest's QEMU guest agent
 * (REST and shell) and the clear error when a guest does not run one, reset system,
 * and a batch of five creates with one injected failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestOpsIT {
    private static final String PASSWORD = "guest-test-secret";
    private static final String GUEST_PASSWORD = "Plain-Guest-Pw-4711";
    private static final String RESET_PASSWORD = "Reset-Guest-Pw-0815";
    private static final String SHELL_PASSWORD = "Shell-Guest-Pw-2342";
    private static final int HTTP_PORT = 9581;
    private static final int SSH_PORT = 9601;
    private static final String STORAGE_POOL = "skiff-itest-guest-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx7bWJm0Nn2N3c1m8lZg9YbQm0uQ3h2K8b8v1cS0f7e ops@test";
    private static VmTestNode fixture;
    private static InstanceApi vms;
    private static KarafNode node;
    private static RestClient api;
    private static String imageId;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        fixture = VmTestNode.start("guest-ops-node", "guest-cell", "skiff-guest-ops-test", HTTP_PORT, SSH_PORT,
                27990,
                PASSWORD, STORAGE_POOL);
        vms = fixture.vms();
        node = fixture.node;
        api = fixture.api;
        imageId = fixture.imageId;
    }

    @AfterAll
    static void stop() throws Exception {
        VmTestNode.stop(fixture, STORAGE_POOL, Duration.ofSeconds(180));
    }

    private static String console(String name) {
        return api.get("/instances/" + name + "/console-log").text();
    }

    private static String dumpxml() {
        return Virsh.dumpxml("skiff-" + id).replaceAll(">\\s+<", "><");
    }

    @Test
    @Order(1)
    void seedGivesHostnameDataDiskAndNeverThePlainPassword() throws Exception {
        RestClient.Answer bad = api.post("/instances", "{\"name\":\"gi-bad\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}],"
                + "\"guestInit\":{\"mounts\":[{\"disk\":1,\"mountPoint\":\"/data\"}]}}");
        assertEquals(400, bad.status(), bad.text());
        assertEquals("guestInit.mounts.0.disk", bad.body().path("error").path("field").asText());
        RestClient.Answer badQos = api.post("/instances", "{\"name\":\"gi-bad\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId + "\"}],"
                + "\"qos\":{\"cpuPriority\":\"urgent\"}}");
        assertEquals(400, badQos.status(), badQos.text());
        assertEquals("qos.cpuPriority", badQos.body().path("error").path("field").asText());

        vms.succeeded(api.post("/instances",
                "{\"name\":\"gi-1\",\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":268435456,"
                + "\"disks\":[{\"imageId\":\"" + imageId + "\"},{\"sizeBytes\":67108864}],"
                + "\"guestInit\":{\"hostname\":\"seeded-host\",\"adminUser\":\"ops\",\"adminPassword\":\""
                + GUEST_PASSWORD + "\",\"sshKeys\":[\"" + KEY + "\"],"
                + "\"mounts\":[{\"disk\":1,\"filesystem\":\"ext4\",\"mountPoint\":\"/data\"}]},"
                + "\"qos\":{\"cpuPriority\":\"low\",\"diskReadIops\":500,\"diskWriteBytesPerSecond\":1048576,"
                + "\"netRxKiBPerSecond\":1024}}"));
        JsonNode vm = vms.instance("gi-1");
        id = vm.path("id").asText();
        vms.await("the guest prints the seed's host name and mounts its data disk",
                () -> console("gi-1").contains("SKIFF-GUEST-READY"), Duration.ofMinutes(4));
        String log = console("gi-1");
        System.out.println("gi-1 console:\n" + log.lines().filter(l -> l.startsWith("SKIFF-GUEST"))
                .reduce("", (a, b) -> a + b + "\n"));
        assertTrue(log.contains("SKIFF-GUEST-HOSTNAME=seeded-host"), log);
        assertTrue(log.contains("SKIFF-GUEST-MOUNT=/dev/vdb /data ok formatted=yes"), log);

        // the password only as a SHA-512 crypt hash: not in the API, the journal, the cell's files or the log
        assertFalse(vm.toString().contains(GUEST_PASSWORD));
        assertTrue(vm.path("spec").path("guestInit").path("adminPasswordHash").asText().startsWith("$6$"), vm.toString());
        assertFalse(node.log().contains(GUEST_PASSWORD), "karaf.log holds the plain password");
        try (Stream<Path> files = Files.walk(node.home.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|log|jnl|iso)$"))
                    .toList()) {
                assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(GUEST_PASSWORD),
                        "plain password in " + f);
            }
        }

        // QoS in the definition
        String xml = dumpxml();
        assertTrue(xml.contains("<shares>256</shares>") && xml.contains("<quota>50000</quota>"), xml);
        assertTrue(xml.contains("<read_iops_sec>500</read_iops_sec>"), xml);
        assertTrue(xml.contains("<write_bytes_sec>1048576</write_bytes_sec>"), xml);
        assertTrue(xml.contains("device='cdrom'") && xml.contains("org.qemu.guest_agent.0"), xml);
    }

    @Test
    @Order(2)
    void qosChangesLiveAndOutOfRangeIsRefused() throws Exception {
        RestClient.Answer bad = api.send("PUT", "/instances/gi-1/qos", "{\"cpuPriority\":\"high\",\"diskReadIops\":-5}");
        assertEquals(400, bad.status(), bad.text());
        assertEquals("qos.diskReadIops", bad.body().path("error").path("field").asText());
        assertTrue(dumpxml().contains("<shares>256</shares>"), "nothing changed");

        RestClient.Answer live = api.send("PUT", "/instances/gi-1/qos",
                "{\"cpuPriority\":\"high\",\"diskWriteIops\":200,\"netTxKiBPerSecond\":2048}");
        assertEquals(200, live.status(), live.text());
        System.out.println("PUT /instances/gi-1/qos → " + live.text());
        assertTrue(live.body().path("applied").toString().contains("cpu priority high"), live.text());
        assertTrue(live.body().path("applied").toString().contains("disk limits"), live.text());
        // no network interface: the network limit is stored and waits, so not everything was live
        assertFalse(live.body().path("live").asBoolean(), live.text());
        assertTrue(live.body().path("nextStart").toString().contains("network limits"), live.text());
        String sched = Virsh.run("schedinfo", "skiff-" + id, "--live");
        assertTrue(sched.matches("(?s).*cpu_shares\\s*:\\s*2048.*"), sched);
        String tune = Virsh.run("blkdeviotune", "skiff-" + id, "vda", "--live");
        assertTrue(tune.matches("(?s).*write_iops_sec\\s*:\\s*200.*"), tune);
        String persistent = Virsh.run("dumpxml", "skiff-" + id, "--inactive").replaceAll(">\\s+<", "><");
        assertTrue(persistent.contains("<shares>2048</shares>") && persistent.contains("<write_iops_sec>200</write_iops_sec>"),
                persistent);
    }

    @Test
    @Order(3)
    void passwordResetAndHostnameChangeThroughTheGuestAgent() throws Exception {
        vms.await("the guest agent runs", () -> console("gi-1").contains("SKIFF-GUEST-AGENT=started"),
                Duration.ofSeconds(60));
        String domain = "skiff-" + id;
        // the seed's admin user is in the guest with the seed's hash
        String seedHash = vms.instance("gi-1").path("spec").path("guestInit").path("adminPasswordHash").asText();
        assertEquals(seedHash, shadowHash(domain, "ops"));

        RestClient.Answer badHost = api.post("/instances/gi-1/hostname", "{\"hostname\":\"-x-\"}");
        assertEquals(400, badHost.status(), badHost.text());
        assertEquals("hostname", badHost.body().path("error").path("field").asText());

        // REST: the Core hashes the password, the agent's guest-set-user-password runs chpasswd -e in the guest
        RestClient.Answer pw = api.post("/instances/gi-1/password", "{\"user\":\"ops\",\"password\":\"" + RESET_PASSWORD
                + "\"}");
        System.out.println("POST /instances/gi-1/password → " + pw.status() + " " + pw.text());
        assertEquals(200, pw.status(), pw.text());
        assertFalse(pw.text().contains(RESET_PASSWORD));
        vms.await("the guest's shadow entry of ops changes", () -> shadowMarkers() >= 1, Duration.ofSeconds(30));
        String hash = shadowHash(domain, "ops");
        assertVerifies(hash, RESET_PASSWORD);
        assertFalse(hash.equals(seedHash), "a new hash");

        // the shell asks for the password (read from the session's terminal, masked)
        String shell = shellTyping("()> ", "skiff:instance-password gi-1 ops", "Password for ops: ", SHELL_PASSWORD,
                "set in the guest", "logout");
        System.out.println("skiff:instance-password gi-1 ops\n" + shell.replace(SHELL_PASSWORD, "<password>"));
        assertTrue(shell.contains("password of user 'ops' set in the guest"), shell.replace(SHELL_PASSWORD, "<password>"));
        assertFalse(shell.contains(SHELL_PASSWORD), "the shell echoes the password");
        vms.await("the guest's shadow entry of ops changes again", () -> shadowMarkers() >= 2, Duration.ofSeconds(30));
        assertVerifies(shadowHash(domain, "ops"), SHELL_PASSWORD);
        // without a terminal the shell cannot ask: a clear error naming --password, the guest unchanged
        String noTerminal = shell("skiff:instance-password gi-1 ops");
        assertTrue(noTerminal.contains("give it with --password"), noTerminal);
        assertVerifies(shadowHash(domain, "ops"), SHELL_PASSWORD);

        // an unknown guest user: the agent refuses, a clear 409 naming guestAgent, the guest unchanged
        RestClient.Answer unknown = api.post("/instances/gi-1/password", "{\"user\":\"nobody\",\"password\":\""
                + RESET_PASSWORD + "\"}");
        System.out.println("POST /instances/gi-1/password (user nobody) → " + unknown.status() + " " + unknown.text());
        assertEquals(409, unknown.status(), unknown.text());
        assertEquals("guestAgent", unknown.body().path("error").path("field").asText(), unknown.text());
        assertTrue(unknown.text().contains("guest agent of instance " + id + " refused the command")
                && unknown.text().contains("guest-set-user-password"), unknown.text());
        assertFalse(unknown.text().contains(RESET_PASSWORD));

        // host name: REST, then the shell; the guest prints each new name, the instance's guestInit follows
        RestClient.Answer host = api.post("/instances/gi-1/hostname", "{\"hostname\":\"renamed-host\"}");
        System.out.println("POST /instances/gi-1/hostname → " + host.status() + " " + host.text());
        assertEquals(200, host.status(), host.text());
        vms.await("the guest reports its new host name",
                () -> console("gi-1").contains("SKIFF-GUEST-HOSTNAME-NOW=renamed-host"), Duration.ofSeconds(30));
        assertEquals("renamed-host", Virsh.guestExec(domain, "/bin/cat", "/etc/hostname").strip());
        assertEquals("renamed-host", vms.instance("gi-1").path("spec").path("guestInit").path("hostname").asText());
        String shellHost = shell("skiff:instance-hostname gi-1 renamed.example.org");
        System.out.println("skiff:instance-hostname gi-1 renamed.example.org\n" + shellHost);
        assertTrue(shellHost.contains("host name set to renamed.example.org"), shellHost);
        vms.await("the guest reports the shell's host name",
                () -> console("gi-1").contains("SKIFF-GUEST-HOSTNAME-NOW=renamed.example.org"), Duration.ofSeconds(30));

        // no plain password anywhere: API answers, files under data/, karaf.log
        for (String secret : List.of(GUEST_PASSWORD, RESET_PASSWORD, SHELL_PASSWORD)) {
            assertFalse(api.get("/instances/gi-1").text().contains(secret));
            assertFalse(api.get("/tasks").text().contains(secret));
            assertFalse(node.log().contains(secret), "karaf.log holds a plain password");
        }
        assertNoPlainPasswordUnder(node.home.resolve("data"), GUEST_PASSWORD, RESET_PASSWORD, SHELL_PASSWORD);
    }

    @Test
    @Order(4)
    void guestAgentErrorIsClearWhenTheGuestDoesNotRunIt() throws Exception {
        // a blank system disk boots nothing, so no agent ever answers on the domain's org.qemu.guest_agent.0 port
        vms.succeeded(api.post("/instances", "{\"name\":\"no-agent\",\"poolId\":\"vms\",\"cores\":1,"
                + "\"memoryBytes\":134217728,\"disks\":[{\"sizeBytes\":1048576}]}"));
        try {
            vms.await("no-agent runs", () -> "RUNNING".equals(vms.instance("no-agent").path("state").asText()),
                    Duration.ofSeconds(60));
            RestClient.Answer pw = api.post("/instances/no-agent/password", "{\"user\":\"ops\",\"password\":\""
                    + RESET_PASSWORD + "\"}");
            System.out.println("POST /instances/no-agent/password → " + pw.status() + " " + pw.text());
            assertEquals(409, pw.status(), pw.text());
            assertEquals("guestAgent", pw.body().path("error").path("field").asText(), pw.text());
            assertTrue(pw.text().contains("does not answer the QEMU guest agent"), pw.text());
            assertFalse(pw.text().contains(RESET_PASSWORD));
            RestClient.Answer host = api.post("/instances/no-agent/hostname", "{\"hostname\":\"renamed\"}");
            assertEquals(409, host.status(), host.text());
            assertEquals("guestAgent", host.body().path("error").path("field").asText(), host.text());
            String shellHost = shell("skiff:instance-hostname no-agent renamed");
            assertTrue(shellHost.contains("guest agent"), shellHost);
        } finally {
            vms.succeeded(api.delete("/instances/no-agent?force=true"));
        }
    }

    /** The SKIFF-GUEST-SHADOW markers for ops in gi-1's console so far. */
    private static int shadowMarkers() {
        return console("gi-1").split("SKIFF-GUEST-SHADOW user=ops changed", -1).length - 1;
    }

    /** The user's crypt(3) hash in the guest's /etc/shadow, read through the agent's guest-exec. */
    private static String shadowHash(String domain, String user) throws InterruptedException {
        String shadow = Virsh.guestExec(domain, "/bin/cat", "/etc/shadow");
        return shadow.lines().filter(l -> l.startsWith(user + ":")).map(l -> l.split(":", -1)[1]).findFirst()
                .orElseThrow(() -> new AssertionError("no " + user + " in the guest's /etc/shadow"));
    }

    /** A SHA-512 crypt hash that {@code openssl passwd -6} computes again from the password and its salt. */
    private static void assertVerifies(String hash, String password) {
        assertTrue(hash.matches("\\$6\\$[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}"), "not a SHA-512 crypt hash: " + hash);
        String salt = hash.split("\\$")[2];
        Commands.Result r = Commands.run(Duration.ofSeconds(30), "openssl", "passwd", "-6", "-salt", salt, password);
        assertEquals(hash, r.orThrow().stdout().strip(), "the guest's hash is the password's");
    }

    private static void assertNoPlainPasswordUnder(Path dir, String... secrets) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (IOException e) {
                    continue; // gone meanwhile (a journal compacted, a temporary file)
                }
                String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "plain password in " + f);
                }
            }
        }
    }

    @Test
    @Order(5)
    void resetSystemReinstallsTheSystemDiskKeepingIdentity() throws Exception {
        // a change on the system disk, written while the guest runs
        long offset = vms.instance("gi-1").path("spec").path("disks").get(0).path("sizeBytes").asLong() - (1L << 20);
        String device = "/machine/peripheral/virtio-disk0/virtio-backend";
        Virsh.run("qemu-monitor-command", "skiff-" + id, "--hmp",
                "qemu-io -d " + device + " \"write -P 0x5a " + offset + " 64k\"");
        Virsh.run("qemu-monitor-command", "skiff-" + id, "--hmp", "qemu-io -d " + device + " \"flush\"");
        List<String> before = Virsh.diskSources("skiff-" + id);
        String uuid = Virsh.run("domuuid", "skiff-" + id).strip();
        String logBefore = console("gi-1");
        int boots = logBefore.split("SKIFF-GUEST-READY", -1).length - 1;

        JsonNode task = vms.succeeded(api.post("/instances/gi-1/reset-system", null));
        System.out.println("reset-system task: " + task.path("steps").toString());
        JsonNode vm = vms.instance("gi-1");
        assertEquals(id, vm.path("id").asText());
        assertEquals("RUNNING", vm.path("state").asText(), vm.toString());
        assertEquals(uuid, Virsh.run("domuuid", "skiff-" + id).strip(), "same domain");
        assertEquals(before, Virsh.diskSources("skiff-" + id), "same volumes, data disk and seed");
        vms.await("the guest boots again from the fresh disk", () -> {
            String now = console("gi-1");
            int count = now.split("SKIFF-GUEST-READY", -1).length - 1;
            // the serial log is either appended to or started anew at the domain's start
            return count > boots || (now.length() < logBefore.length() && count > 0);
        }, Duration.ofMinutes(4));
        vms.succeeded(api.post("/instances/gi-1/stop?force=true", null));
        Commands.Result r = Commands.run(Duration.ofMinutes(2), "qemu-io", "-r", "-f", "qcow2", "-c",
                "read -P 0 " + offset + " 64k", before.get(0));
        assertTrue((r.stdout() + r.stderr()).contains("read 65536/65536 bytes"), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("Pattern verification failed"), "the change is gone: " + r.describe());
    }

    @Test
    @Order(6)
    void qosOfAStoppedInstanceWaitsForTheNextStartAndDeleteRemovesTheSeed() throws Exception {
        RestClient.Answer later = api.send("PUT", "/instances/gi-1/qos", "{\"cpuPriority\":\"medium\"}");
        assertEquals(200, later.status(), later.text());
        assertFalse(later.body().path("live").asBoolean(), later.text());
        assertTrue(dumpxml().contains("<shares>1024</shares>"), dumpxml());
        String seed = Virsh.diskSources("skiff-" + id).stream().filter(s -> s.endsWith(".iso")).findFirst()
                .orElseThrow(() -> new AssertionError("no seed: " + Virsh.diskSources("skiff-" + id)));
        assertTrue(Files.exists(Path.of(seed)), seed);
        vms.succeeded(api.delete("/instances/gi-1?force=true"));
        assertFalse(Files.exists(Path.of(seed)), "the seed is removed with the instance");
        assertFalse(Virsh.domainNames().contains("skiff-" + id));
    }

    @Test
    @Order(7)
    void batchOfFiveWithOneInjectedFailure() throws Exception {
        try {
            VmTestNode.writeInstanceSettings(node, Map.of("stopTimeoutSeconds", "5", "failStep", "cell.define",
                    "failInstance", "bt-3"));
            RestClient.Answer badPattern = api.post("/batches", "{\"action\":\"create\",\"namePattern\":\"bt\","
                    + "\"count\":5,\"spec\":{\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":201326592,"
                    + "\"disks\":[{\"imageId\":\"" + imageId + "\"}]}}");
            assertEquals(400, badPattern.status(), badPattern.text());
            assertEquals("namePattern", badPattern.body().path("error").path("field").asText());

            RestClient.Answer accepted = api.post("/batches", "{\"action\":\"create\",\"namePattern\":\"bt-{n}\","
                    + "\"count\":5,\"spec\":{\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":201326592,"
                    + "\"disks\":[{\"imageId\":\"" + imageId + "\"}]}}");
            assertEquals(202, accepted.status(), accepted.text());
            String batchId = accepted.body().path("id").asText();
            JsonNode task = vms.awaitTask(batchId, Duration.ofMinutes(10));
            JsonNode batch = api.get("/batches/" + batchId).body();
            System.out.println("GET /batches/" + batchId + " → " + batch);
            assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
            assertEquals(4, batch.path("succeeded").asInt(), batch.toString());
            assertEquals(1, batch.path("failed").asInt(), batch.toString());
            String failedId = null;
            for (JsonNode item : batch.path("items")) {
                boolean third = item.path("name").asText().equals("bt-3");
                assertEquals(third ? "FAILED" : "SUCCEEDED", item.path("state").asText(), item.toString());
                if (third) {
                    failedId = item.path("instanceId").asText();
                    assertTrue(item.path("error").asText().contains("injected"), item.toString());
                }
            }
            assertTrue(failedId != null && !failedId.isEmpty(), batch.toString());
            for (String name : List.of("bt-1", "bt-2", "bt-4", "bt-5")) {
                vms.await(name + " runs", () -> "RUNNING".equals(vms.instance(name).path("state").asText()),
                        Duration.ofSeconds(60));
            }
            assertEquals(404, api.get("/instances/bt-3").status(), "bt-3 rolled back");
            String gone = failedId;
            assertFalse(Virsh.domainNames().contains("skiff-" + gone), "no domain of bt-3");
            assertTrue(Virsh.volumeNames(STORAGE_POOL).stream().noneMatch(v -> v.contains(gone)),
                    "no volume of bt-3: " + Virsh.volumeNames(STORAGE_POOL));
            assertFalse(seedExists(gone), "no seed of bt-3");

            String shell = shell("skiff:batch -f -w delete bt-1 bt-2 bt-4 bt-5");
            System.out.println("skiff:batch -f -w delete bt-1 bt-2 bt-4 bt-5\n" + shell);
            assertTrue(shell.contains("4 of 4 succeeded"), shell);
            assertTrue(api.get("/instances").body().isEmpty(), api.get("/instances").text());
            assertTrue(Virsh.volumeNames(STORAGE_POOL).isEmpty(), "nothing leaked: " + Virsh.volumeNames(STORAGE_POOL));
            List<String> left = new ArrayList<>(Virsh.domainNames());
            left.removeIf(n -> !n.startsWith("skiff-"));
            assertTrue(left.stream().noneMatch(n -> n.contains(gone)), left.toString());
        } finally {
            VmTestNode.writeInstanceSettings(node, Map.of("stopTimeoutSeconds", "5"));
        }
    }

    private static boolean seedExists(String instanceId) throws IOException {
        try (Stream<Path> files = Files.walk(node.home.resolve("data"))) {
            return files.anyMatch(p -> p.getFileName().toString().contains(instanceId)
                    && p.getFileName().toString().endsWith(".iso"));
        }
    }

    /**
     * An interactive shell session over SSH (a pseudo-terminal, {@code ssh -tt}), driven like a person at the
     * keyboard: each line is typed only once the output so far ends with what the step waits for (the prompt, the
     * command's question), then {@code logout}. A command that reads from the session (a password) needs a
     * terminal: over a plain {@code ssh ... command} its readLine is not supported.
     *
     * @param steps pairs of (text to wait for, line to type)
     */
    private static String shellTyping(String... steps) throws Exception {
        Process p = new ProcessBuilder("sshpass", "-p", PASSWORD, "ssh", "-tt", "-p", Integer.toString(SSH_PORT),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "admin@127.0.0.1").redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (java.io.InputStream in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the session ended
            }
        });
        reader.start();
        try (java.io.OutputStream keys = p.getOutputStream()) {
            int seen = 0;
            for (int i = 0; i + 1 < steps.length; i += 2) {
                String wait = steps[i];
                int from = seen;
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(() -> {
                                if (out.indexOf(wait, from) >= 0) {
                                    return true;
                                }
                                if (!p.isAlive()) {
                                    throw new AssertionError("no '" + wait + "' in the shell session: " + out);
                                }
                                return false;
                            });
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("no '" + wait + "' in the shell session: " + out);
                }
                seen = out.indexOf(wait, from) + wait.length();
                keys.write((steps[i + 1] + "\r").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                keys.flush();
            }
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the shell session did not end: " + out);
        } finally {
            p.destroyForcibly();
            reader.join(10_000);
        }
        return out.toString();
    }

    private static String shell(String command) {
        Commands.Result r = Commands.run(Duration.ofMinutes(10), "sshpass", "-p", PASSWORD, "ssh", "-p",
                Integer.toString(SSH_PORT), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "admin@127.0.0.1", command);
        return r.stdout() + r.stderr();
    }
}
