package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users, groups, visibility, quotas, the operation log and TLS on the built distribution, with real
 * instances on the machine's libvirtd (QEMU under TCG; blank 1 MiB disks, no image, no network):
 * two users in different groups cannot see or touch each other's instances (console tokens included); a
 * sharing group makes its
 * members' instances visible; quotas stop creates and say by how much; the operation log shows who did
 * what, refused attempts and failed sign-ins included, and no password; HTTPS answers with the certificate
 * generated at the first start; a disabled user's token stops working at once; the shell (SSH) uses the
 * same accounts and permissions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessControlIT {
    private static final String PASSWORD = "auth-test-secret";
    private static final Map<String, String> ENV = Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD);
    private static final String STORAGE_POOL = "skiff-itest-auth-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int HTTP_PORT = 9081;
    private static final int HTTPS_PORT = 9443;
    private static final int SSH_PORT = 9101;
    private static KarafNode node;
    private static RestClient admin;
    private static RestClient alice;
    private static RestClient bob;
    private static RestClient carol;
    private static RestClient dave;

    @BeforeAll
    static void start() throws Exception {
        LibvirtEnvironment.ensureUp();
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        node = KarafNode.unpack(archive, nodes, "auth-node", HTTP_PORT);
        node.replaceInFile("etc/org.apache.karaf.shell.cfg", "sshPort = " + (HTTP_PORT + 1), "sshPort = " + SSH_PORT);
        node.replaceInFile("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure = " + (HTTP_PORT + 4),
                "org.osgi.service.http.port.secure = " + HTTPS_PORT);
        node.writeConfig("io.skiff.transport", Map.of("nodeName", "auth-cell", "bindAddress", "127.0.0.1",
                "bindPort", "27890", "portRange", "0", "discovery", "tcp", "members", "127.0.0.1[27890]",
                "domain", "skiff-auth-test"));
        node.writeConfig("io.skiff.hypervisor.libvirt", Map.of("uri", "qemu:///system", "accel", "tcg"));
        node.writeConfig("io.skiff.storage.local", Map.of("uri", "qemu:///system", "poolName", STORAGE_POOL));
        node.writeConfig("io.skiff.cell.instances", Map.of("storagePool", STORAGE_POOL));
        node.writeConfig("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "3"));
        node.start(ENV);
        admin = new RestClient(node.httpPort, "admin", PASSWORD);
        awaitUp();
        assertEquals(201, admin.post("/pools", "{\"name\":\"vms\"}").status());
        vms().await("cell joins", () -> admin.get("/cells/auth-cell").status() == 200, Duration.ofSeconds(90));
        assertEquals(200, admin.post("/cells/auth-cell/add-to-pool", "{\"pool\":\"vms\"}").status());
        created(admin.post("/groups", "{\"name\":\"red\",\"description\":\"team red\"}"));
        created(admin.post("/groups", "{\"name\":\"blue\"}"));
        created(admin.post("/groups", "{\"name\":\"team\",\"shareResources\":true}"));
        created(admin.post("/users", "{\"name\":\"alice\",\"group\":\"red\",\"password\":\"alice-pass-1\"}"));
        created(admin.post("/users", "{\"name\":\"bob\",\"group\":\"blue\",\"password\":\"bob-pass-1\"}"));
        created(admin.post("/users", "{\"name\":\"carol\",\"group\":\"team\",\"password\":\"carol-pass-1\"}"));
        created(admin.post("/users", "{\"name\":\"dave\",\"group\":\"team\",\"password\":\"dave-pass-1\"}"));
        alice = new RestClient(node.httpPort, "alice", "alice-pass-1");
        bob = new RestClient(node.httpPort, "bob", "bob-pass-1");
        carol = new RestClient(node.httpPort, "carol", "carol-pass-1");
        dave = new RestClient(node.httpPort, "dave", "dave-pass-1");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (admin != null) {
                RestClient.Answer list = admin.get("/instances");
                if (list.status() == 200) {
                    for (JsonNode i : list.body()) {
                        admin.delete("/instances/" + i.path("id").asText() + "?force=true");
                    }
                    vms().await("instances deleted", () -> admin.get("/instances").body() == null
                            || admin.get("/instances").body().isEmpty(), Duration.ofSeconds(120));
                }
            }
        } finally {
            if (node != null) {
                node.kill();
            }
            Virsh.destroyDomainsOfPoolAndPool(STORAGE_POOL);
        }
    }

    private static InstanceApi vms() {
        return new InstanceApi(admin, () -> "karaf.log tail:\n" + InstanceApi.tail(node.log()));
    }

    private static void created(RestClient.Answer a) {
        assertEquals(201, a.status(), a.text());
    }

    private static void awaitUp() throws Exception {
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        vms().await("health UP", () -> {
            RestClient.Answer h = anonymous.get("/health");
            return h.status() == 200 && h.text().contains("\"UP\"");
        }, Duration.ofSeconds(180));
    }

    /** Creates a blank instance (1 core, 64 MiB, one 1 MiB disk) as this user and waits until it runs. */
    private static void createAndAwait(RestClient as, String name) throws Exception {
        RestClient.Answer a = as.post("/instances", blank(name, 64));
        assertEquals(202, a.status(), a.text());
        String task = a.body().path("id").asText();
        JsonNode[] last = new JsonNode[1];
        vms().await("task of " + name, () -> {
            RestClient.Answer t = as.get("/tasks/" + task);
            last[0] = t.body();
            return t.status() == 200 && !t.body().path("state").asText().matches("QUEUED|RUNNING");
        }, Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", last[0].path("state").asText(), last[0].toString());
    }

    private static String blank(String name, int memoryMiB) {
        return "{\"name\":\"" + name + "\",\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":" + (memoryMiB * 1048576L)
                + ",\"disks\":[{\"sizeBytes\":1048576}]}";
    }

    private static List<String> names(RestClient.Answer list) {
        assertEquals(200, list.status(), list.text());
        List<String> out = new ArrayList<>();
        list.body().forEach(i -> out.add(i.path("spec").path("name").asText()));
        return out;
    }

    @Test
    @Order(1)
    void httpsAnswersWithTheCertificateGeneratedAtFirstStart() throws Exception {
        Path crt = node.home.resolve("etc/skiff-tls.crt");
        assertTrue(Files.exists(crt), "the first start generates etc/skiff-tls.crt");
        Certificate expected;
        try (InputStream in = Files.newInputStream(crt)) {
            expected = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("skiff", expected);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        // only the generated certificate is trusted, so this succeeds only if the server presents it
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + HTTPS_PORT + "/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"UP\""), r.body());
        SSLSession session = r.sslSession().orElseThrow();
        assertArrayEquals(expected.getEncoded(), session.getPeerCertificates()[0].getEncoded());
        HttpResponse<String> users = https.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + HTTPS_PORT + "/api/v1/users"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, users.statusCode(), users.body());
    }

    @Test
    @Order(2)
    void badAccountInputIsRefusedAndChangesNothing() {
        RestClient.Answer weak = admin.post("/users", "{\"name\":\"weak\",\"password\":\"123\"}");
        assertEquals(400, weak.status(), weak.text());
        assertEquals("password", weak.body().path("error").path("field").asText());
        RestClient.Answer role = admin.post("/users", "{\"name\":\"weak\",\"password\":\"long-enough-1\",\"roles\":[\"king\"]}");
        assertEquals(400, role.status(), role.text());
        assertEquals("roles", role.body().path("error").path("field").asText());
        assertEquals(404, admin.get("/users/weak").status());
        RestClient.Answer self = admin.delete("/users/admin");
        assertEquals(409, self.status(), self.text());
        RestClient.Answer last = admin.put("/users/admin", "{\"roles\":[\"user\"]}");
        assertEquals(409, last.status(), last.text());
        assertTrue(last.text().contains("last enabled admin"), last.text());
        created(admin.post("/groups", "{\"name\":\"inner\",\"parent\":\"red\"}"));
        RestClient.Answer loop = admin.put("/groups/red", "{\"parent\":\"inner\"}");
        assertEquals(400, loop.status(), loop.text());
        assertEquals("parent", loop.body().path("error").path("field").asText());
        RestClient.Answer perm = admin.post("/roles", "{\"name\":\"odd\",\"permissions\":[\"instance.fly\"]}");
        assertEquals(400, perm.status(), perm.text());
        assertEquals("permissions", perm.body().path("error").path("field").asText());
    }

    @Test
    @Order(3)
    void usersInDifferentGroupsCannotSeeOrTouchEachOthersInstances() throws Exception {
        createAndAwait(alice, "alice-vm");
        assertEquals(List.of("alice-vm"), names(alice.get("/instances")));
        assertFalse(names(bob.get("/instances")).contains("alice-vm"));
        String id = alice.get("/instances/alice-vm").body().path("id").asText();
        for (String ref : List.of("alice-vm", id)) {
            assertEquals(404, bob.get("/instances/" + ref).status());
            RestClient.Answer start = bob.post("/instances/" + ref + "/start", null);
            assertEquals(404, start.status(), start.text());
            assertEquals(404, bob.post("/instances/" + ref + "/stop", null).status());
            assertEquals(404, bob.get("/instances/" + ref + "/console-log").status());
            assertEquals(404, bob.post("/instances/" + ref + "/console", null).status(), "no console token");
            assertEquals(404, bob.get("/instances/" + ref + "/vnc").status());
            assertEquals(404, bob.delete("/instances/" + ref + "?force=true").status());
        }
        RestClient.Answer bobTasks = bob.get("/tasks");
        assertEquals(200, bobTasks.status());
        assertFalse(bobTasks.text().contains("alice-vm"), "no listing leaks another tenant's names");
        assertTrue(names(admin.get("/instances")).contains("alice-vm"), "admin sees everything");
        assertEquals("red", admin.get("/instances/alice-vm").body().path("group").asText());
        assertEquals("RUNNING", alice.get("/instances/alice-vm").body().path("state").asText());
        RestClient.Answer ticket = alice.post("/instances/alice-vm/console", null);
        assertEquals(200, ticket.status(), ticket.text());
        assertEquals("alice", ticket.body().path("user").asText());
    }

    @Test
    @Order(4)
    void aSharingGroupMakesItsMembersInstancesVisible() throws Exception {
        createAndAwait(carol, "carol-vm");
        assertTrue(names(dave.get("/instances")).contains("carol-vm"));
        assertEquals(200, dave.get("/instances/carol-vm").status());
        RestClient.Answer ticket = dave.post("/instances/carol-vm/console", null);
        assertEquals(200, ticket.status(), "a sharing group member gets a console token: " + ticket.text());
        RestClient.Answer stop = dave.post("/instances/carol-vm/stop?force=true", null);
        assertEquals(202, stop.status(), stop.text());
        assertFalse(names(dave.get("/instances")).contains("alice-vm"));
        assertFalse(names(alice.get("/instances")).contains("carol-vm"));
        RestClient.Answer unshare = admin.put("/groups/team", "{\"shareResources\":false}");
        assertEquals(200, unshare.status(), unshare.text());
        assertEquals(404, dave.get("/instances/carol-vm").status());
        assertEquals(200, carol.get("/instances/carol-vm").status());
    }

    @Test
    @Order(5)
    void quotasStopACreateAndSayWhichAndByHowMuch() throws Exception {
        assertEquals(200, admin.put("/users/bob", "{\"quota\":{\"instances\":1}}").status());
        createAndAwait(bob, "bob-vm");
        RestClient.Answer second = bob.post("/instances", blank("bob-vm-2", 64));
        assertEquals(409, second.status(), second.text());
        JsonNode error = second.body().path("error");
        assertEquals("quota-exceeded", error.path("code").asText());
        assertEquals("instances", error.path("field").asText());
        assertTrue(error.path("message").asText().contains("user 'bob' exceeded by 1"), error.toString());
        RestClient.Answer group = admin.put("/groups/red", "{\"quota\":{\"memoryMiB\":100}}");
        assertEquals(200, group.status(), group.text());
        RestClient.Answer big = alice.post("/instances", blank("alice-vm-2", 64));
        assertEquals(409, big.status(), big.text());
        assertTrue(big.body().path("error").path("message").asText()
                .contains("quota memoryMiB of group 'red' exceeded by 28 MiB"), big.text());
        assertFalse(names(admin.get("/instances")).contains("bob-vm-2"));
        assertFalse(names(admin.get("/instances")).contains("alice-vm-2"));
    }

    @Test
    @Order(6)
    void permissionsAreCheckedPerOperation() {
        RestClient.Answer pool = bob.post("/pools", "{\"name\":\"mine\"}");
        assertEquals(403, pool.status(), pool.text());
        assertTrue(pool.text().contains("'pool.write'"), pool.text());
        assertEquals(403, bob.get("/users").status());
        assertEquals(403, bob.get("/operation-log").status());
        created(admin.post("/roles", "{\"name\":\"auditor\",\"permissions\":[\"oplog.read\",\"user.read\"]}"));
        created(admin.post("/users", "{\"name\":\"audrey\",\"group\":\"blue\",\"roles\":[\"auditor\"],"
                + "\"password\":\"audrey-pass-1\"}"));
        RestClient audrey = new RestClient(node.httpPort, "audrey", "audrey-pass-1");
        assertEquals(200, audrey.get("/operation-log").status());
        assertEquals(403, audrey.get("/instances").status());
    }

    @Test
    @Order(7)
    void theOperationLogShowsWhoDidWhatIncludingRefusedAttempts() throws Exception {
        assertEquals(401, new RestClient(node.httpPort, "alice", "not-her-password").get("/instances").status());
        assertEquals(401, new RestClient(node.httpPort, null, null)
                .post("/sessions", "{\"user\":\"carol\",\"password\":\"guess\"}").status());
        RestClient.Answer bobs = admin.get("/operation-log?user=bob");
        assertEquals(200, bobs.status(), bobs.text());
        boolean refusedPool = false;
        boolean refusedQuota = false;
        boolean created = false;
        for (JsonNode e : bobs.body()) {
            assertEquals("bob", e.path("user").asText());
            assertEquals("127.0.0.1", e.path("address").asText(), e.toString());
            String action = e.path("action").asText();
            refusedPool |= action.equals("POST /pools") && e.path("outcome").asText().equals("denied")
                    && e.path("status").asInt() == 403;
            refusedQuota |= action.equals("POST /instances") && e.path("outcome").asText().equals("denied")
                    && e.path("detail").asText().contains("quota");
            created |= action.equals("POST /instances") && e.path("outcome").asText().equals("success")
                    && e.path("resource").asText().equals("instances/bob-vm") && !e.path("taskId").isNull();
        }
        assertTrue(refusedPool, "bob's refused pool create: " + bobs.text());
        assertTrue(refusedQuota, "bob's create over quota: " + bobs.text());
        assertTrue(created, "bob's create with its task: " + bobs.text());
        RestClient.Answer denied = admin.get("/operation-log?outcome=denied&user=alice");
        assertTrue(denied.text().contains("wrong user name or password"), denied.text());
        RestClient.Answer signIn = admin.get("/operation-log?user=carol&outcome=denied");
        assertTrue(signIn.text().contains("POST /sessions"), signIn.text());
        RestClient.Answer byResource = admin.get("/operation-log?resource=instances/alice-vm");
        assertTrue(byResource.text().contains("\"user\":\"alice\""), byResource.text());
        assertTrue(byResource.text().contains("\"user\":\"bob\""), "bob's refused start on alice's instance");
        String from = java.time.Instant.now().plusSeconds(3600).toString();
        assertEquals("[]", admin.get("/operation-log?from=" + from).text());
        assertEquals(400, admin.get("/operation-log?outcome=maybe").status());
        String file = Files.readString(node.home.resolve("data/skiff/operation-log.jsonl"));
        for (String secret : List.of(PASSWORD, "alice-pass-1", "bob-pass-1", "carol-pass-1", "not-her-password", "guess\"")) {
            assertFalse(file.contains(secret), "the log holds no password: " + secret);
        }
    }

    @Test
    @Order(8)
    void aDisabledUsersTokenStopsWorkingAtOnce() {
        RestClient.Answer session = new RestClient(node.httpPort, null, null)
                .post("/sessions", "{\"user\":\"dave\",\"password\":\"dave-pass-1\"}");
        assertEquals(201, session.status(), session.text());
        assertFalse(session.body().path("passwordChangeRequired").asBoolean());
        assertEquals("[\"user\"]", session.body().path("roles").toString());
        assertTrue(session.body().path("permissions").toString().contains("instance.read"));
        RestClient token = RestClient.bearer(node.httpPort, session.body().path("token").asText());
        assertEquals(200, token.get("/instances").status());
        assertEquals(200, admin.put("/users/dave", "{\"enabled\":false}").status());
        assertEquals(401, token.get("/instances").status());
        assertEquals(401, dave.get("/instances").status());
        assertEquals(200, admin.put("/users/dave", "{\"enabled\":true}").status());
        assertEquals(401, token.get("/instances").status(), "a revoked token stays revoked");
        assertEquals(200, dave.get("/instances").status());
    }

    @Test
    @Order(9)
    void passwordsChangeAndEndSessions() {
        created(admin.post("/users", "{\"name\":\"eve\",\"password\":\"eve-pass-1\"}"));
        RestClient eve = new RestClient(node.httpPort, "eve", "eve-pass-1");
        assertEquals(200, eve.get("/instances").status());
        RestClient.Answer wrong = eve.post("/users/eve/password",
                "{\"currentPassword\":\"nope-nope\",\"newPassword\":\"eve-pass-2\"}");
        assertEquals(403, wrong.status(), wrong.text());
        RestClient.Answer other = eve.post("/users/bob/password", "{\"newPassword\":\"bob-pass-9\"}");
        assertEquals(403, other.status(), other.text());
        RestClient.Answer changed = eve.post("/users/eve/password",
                "{\"currentPassword\":\"eve-pass-1\",\"newPassword\":\"eve-pass-2\"}");
        assertEquals(204, changed.status(), changed.text());
        assertEquals(401, eve.get("/instances").status());
        assertEquals(200, new RestClient(node.httpPort, "eve", "eve-pass-2").get("/instances").status());
        assertEquals(204, admin.post("/users/eve/password", "{\"newPassword\":\"eve-pass-3\"}").status());
        assertEquals(200, new RestClient(node.httpPort, "eve", "eve-pass-3").get("/instances").status());
    }

    @Test
    @Order(10)
    void theShellUsesTheSameAccountsPermissionsAndVisibility() throws Exception {
        String list = ssh("alice", "alice-pass-1", "skiff:instance-list");
        assertTrue(list.contains("alice-vm"), list);
        assertFalse(list.contains("carol-vm") || list.contains("bob-vm"), list);
        String refused = ssh("alice", "alice-pass-1", "skiff:pool-create sneaky");
        assertTrue(refused.contains("lacks permission 'pool.write'"), refused);
        String start = ssh("bob", "bob-pass-1", "skiff:instance-start alice-vm");
        assertTrue(start.contains("does not exist"), start);
        String wrong = ssh("alice", "wrong-password", "skiff:instance-list");
        assertFalse(wrong.contains("alice-vm"), wrong);
        String users = ssh("admin", PASSWORD, "skiff:user-list");
        assertTrue(users.contains("alice") && users.contains("red"), users);
        String log = ssh("admin", PASSWORD, "skiff:oplog --user alice -n 20");
        assertTrue(log.contains("skiff:pool-create") && log.contains("denied"), log);
        RestClient.Answer sshFail = admin.get("/operation-log?user=alice&outcome=denied");
        assertTrue(sshFail.text().contains("\"source\":\"ssh\""), sshFail.text());
        assertEquals(404, admin.get("/pools/sneaky").status());
    }

    @Test
    @Order(11)
    void sshPublicKeysSignUsersInToTheShell() throws Exception {
        Path dir = Files.createTempDirectory("skiff-ssh-keys");
        Path key = dir.resolve("id_ecdsa");
        Process gen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "alice@laptop", "-f",
                key.toString()).redirectErrorStream(true).start();
        assertEquals(0, gen.waitFor(), new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String publicKey = Files.readString(dir.resolve("id_ecdsa.pub")).strip();
        RestClient alice = new RestClient(node.httpPort, "alice", "alice-pass-1");
        RestClient bob = new RestClient(node.httpPort, "bob", "bob-pass-1");

        // bad input: named, nothing stored; another user's keys are not bob's to set
        RestClient.Answer bad = alice.put("/users/alice/ssh-keys", "{\"keys\":[\"ssh-rsa bm90IGEga2V5\"]}");
        assertEquals(400, bad.status(), bad.text());
        assertEquals("sshKeys.0", bad.body().path("error").path("field").asText(), bad.text());
        assertEquals(0, alice.get("/users/alice/ssh-keys").body().path("keys").size());
        assertEquals(403, bob.put("/users/alice/ssh-keys", "{\"keys\":[]}").status());
        assertEquals(403, bob.get("/users/alice/ssh-keys").status());
        assertTrue(sshWithKey("alice", key, "skiff:instance-list").contains("Permission denied"), "no key yet");

        RestClient.Answer set = alice.put("/users/alice/ssh-keys",
                "{\"keys\":[\"" + publicKey + "\"]}");
        assertEquals(200, set.status(), set.text());
        System.out.println("[transcript] PUT /users/alice/ssh-keys → " + set.status() + " " + set.text());
        String list = sshWithKey("alice", key, "skiff:instance-list");
        assertTrue(list.contains("alice-vm"), list);
        assertFalse(list.contains("carol-vm") || list.contains("bob-vm"), list);
        assertTrue(sshWithKey("alice", key, "skiff:pool-create sneaky").contains("lacks permission 'pool.write'"));
        assertTrue(sshWithKey("bob", key, "skiff:instance-list").contains("Permission denied"), "alice's key only");
        String keys = sshWithKey("alice", key, "skiff:user-ssh-keys");
        System.out.println("[transcript] skiff:user-ssh-keys\n" + keys);
        assertTrue(keys.contains("1  ecdsa-sha2-nistp256 ") && keys.contains("alice@laptop"), keys);

        // the key removed from the shell: key sign-in stops, the password still works
        assertTrue(sshWithKey("alice", key, "skiff:user-ssh-keys --remove 1").contains("alice has no SSH keys"));
        assertTrue(sshWithKey("alice", key, "skiff:instance-list").contains("Permission denied"));
        assertTrue(ssh("alice", "alice-pass-1", "skiff:instance-list").contains("alice-vm"));
    }

    private static String sshWithKey(String user, Path key, String command) throws Exception {
        Process p = new ProcessBuilder("ssh", "-p", String.valueOf(SSH_PORT), "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "PreferredAuthentications=publickey", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                user + "@127.0.0.1", command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ssh " + command + " did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String ssh(String user, String password, String command) throws Exception {
        Process p = new ProcessBuilder("sshpass", "-p", password, "ssh", "-p", String.valueOf(SSH_PORT),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "NumberOfPasswordPrompts=1", "-o", "PreferredAuthentications=password,keyboard-interactive",
                user + "@127.0.0.1", command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ssh " + command + " did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
