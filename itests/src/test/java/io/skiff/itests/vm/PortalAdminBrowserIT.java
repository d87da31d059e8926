package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal's administration pages in Debian's headless Chromium against a node started WITHOUT
 * SKIFF_ADMIN_PASSWORD: the first sign-in with the generated password must change it; groups and users are made in
 * the pages and the new user sees only its own menu entries; the operation log page shows the user's creation and
 * a refused sign-in; an address pool is created from its page with a range and shows its free count; the address
 * pool page in Chinese; the instance page's Migrate dialog on a one-cell pool (Automatic offered, the Core's refusal
 * shown in the dialog, nothing changed) and the cells page's evacuation (its confirmation, the instance that could
 * not move, the cell left disabled); the storage page's storage pools (an nfs pool the cell finds unreachable refused
 * beside the form naming the server, a local pool created, attached to a compute pool, its delete refused while
 * attached, detached and deleted). Screenshots of the users page and the operation log go to docs/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalAdminBrowserIT {
    private static final String NEW_PASSWORD = "first-run-chosen-1";
    private static final String ALICE_PASSWORD = "alice-secret-42";
    private static final int HTTP_PORT = Integer.getInteger("skiff.it.portalAdmin.httpPort", 9781);
    private static final String SSH_PORT = System.getProperty("skiff.it.portalAdmin.sshPort", "9801");
    private static final String TRANSPORT_PORT = System.getProperty("skiff.it.portalAdmin.transportPort", "28030");
    private static final String STORAGE_POOL = "skiff-itest-padmin-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CELL = "portal-admin-cell";
    private static KarafNode node;
    private static WebDriver browser;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled();
        LibvirtEnvironment.ensureUp();
        // a run just before may leave the transport port in TIME_WAIT; JGroups then fails to bind it
        await("transport port " + TRANSPORT_PORT + " free", () -> {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(TRANSPORT_PORT)));
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofMinutes(3));
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        node = KarafNode.unpack(archive, nodes, "portal-admin-node", HTTP_PORT);
        VmTestNode.configure(node, Integer.parseInt(SSH_PORT), VmTestNode.cellConfigs(CELL,
                Integer.parseInt(TRANSPORT_PORT), "skiff-portal-admin-test", STORAGE_POOL));
        // the nfs backend too (configured with no pool of its own): the cell checks the storage page's nfs pools
        node.replaceInFile("etc/org.apache.karaf.features.cfg", "skiff-allinone", "skiff-storage-nfs, skiff-allinone");
        // no SKIFF_ADMIN_PASSWORD (also not from this JVM's environment): the node generates the first password
        node.start(Map.of("SKIFF_ADMIN_PASSWORD", ""));
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        await("health UP", () -> {
            RestClient.Answer h = anonymous.get("/health");
            return h.status() == 200 && h.text().contains("\"UP\"");
        }, Duration.ofSeconds(180));

        chromium = HeadlessChromium.start("1400,1000");
        browser = chromium.browser;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (node != null) {
                node.kill();
            }
            Virsh.destroyDomainsOfPoolAndPool(STORAGE_POOL);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 500 ms until it holds (a RuntimeException counts as "not yet"). */
    private static void await(String what, Check check, Duration timeout) throws Exception {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .pollInSameThread().ignoreExceptionsInstanceOf(RuntimeException.class).until(check::ok);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + what
                    + (node == null ? "" : "\nkaraf.log tail:\n" + InstanceApi.tail(node.log())));
        }
    }

    private static String url(String hash) {
        return "http://127.0.0.1:" + HTTP_PORT + "/portal/" + hash;
    }

    private static WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    private static void waitFor(String css) {
        waiting().until(d -> !d.findElements(By.cssSelector(css)).isEmpty());
    }

    private static List<String> navEntries() {
        return browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).collect(Collectors.toList());
    }

    /** The element's text, "" while it is being re-rendered (the wait asks again). */
    private static String text(String css) {
        try {
            return browser.findElement(By.cssSelector(css)).getText();
        } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
            return "";
        }
    }

    /** A fresh ECDSA public key line made by OpenSSH's ssh-keygen, comment {@code alice@portal}. */
    private static String sshPublicKey() throws Exception {
        Path dir = Files.createTempDirectory("skiff-portal-key");
        Path key = dir.resolve("id_ecdsa");
        Process gen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "alice@portal",
                "-f", key.toString()).redirectErrorStream(true).start();
        assertEquals(0, gen.waitFor());
        String line = Files.readString(dir.resolve("id_ecdsa.pub")).strip();
        Files.delete(key);
        Files.delete(dir.resolve("id_ecdsa.pub"));
        Files.delete(dir);
        return line;
    }

    private static void type(String css, String text) {
        WebElement e = browser.findElement(By.cssSelector(css));
        e.clear();
        e.sendKeys(text);
    }

    private static void open(String route, String readyCss) {
        browser.get(url("#/" + route));
        waitFor(readyCss);
    }

    private static void signIn(String user, String password) {
        browser.get(url("#/signin"));
        chromium.script("sessionStorage.clear();");
        browser.navigate().refresh();
        waitFor("#signin-form");
        type("#signin-user", user);
        type("#signin-password", password);
        browser.findElement(By.id("signin-submit")).click();
    }

    /** No admin page breaks the portal's Content-Security-Policy (no inline script or style). */
    @AfterEach
    void theContentSecurityPolicyHeld() {
        java.util.List<String> refused = chromium.consoleMessages().stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
        assertTrue(refused.isEmpty(), "refused by the portal's Content-Security-Policy: " + refused);
    }

    @Test
    @Order(1)
    void firstRunSignInForcesThePasswordChange() throws Exception {
        Path generated = node.home.resolve("data/skiff/initial-admin-password");
        await("the generated admin password", () -> Files.exists(generated), Duration.ofSeconds(60));
        String initial = Files.readString(generated).trim();
        assertFalse(initial.isEmpty());

        signIn("admin", initial);
        waitFor("#password-form");
        assertTrue(navEntries().isEmpty(), "no menu before the password is changed: " + navEntries());
        // any other page still shows the password form
        browser.get(url("#/users"));
        waitFor("#password-form");
        type("#password-form input[name=current]", initial);
        type("#password-form input[name=next]", NEW_PASSWORD);
        type("#password-form input[name=confirm]", NEW_PASSWORD);
        browser.findElement(By.cssSelector("#password-form button[type=submit]")).click();
        waiting().until(d -> navEntries().contains("Users"));

        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        assertEquals(200, admin.get("/users").status());
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        assertEquals(401, anonymous.post("/sessions", "{\"user\":\"admin\",\"password\":\"" + initial + "\"}").status());
        RestClient.Answer s = anonymous.post("/sessions", "{\"user\":\"admin\",\"password\":\"" + NEW_PASSWORD + "\"}");
        assertEquals(201 / 100, s.status() / 100, s.text());
        assertFalse(s.body().path("passwordChangeRequired").asBoolean(), s.text());
    }

    @Test
    @Order(2)
    void groupAndUserMadeInThePagesAndTheUserSeesOnlyItsMenu() throws Exception {
        signIn("admin", NEW_PASSWORD);
        waitFor("#nav a");
        open("groups", "#group-create");
        type("#group-create input[name=name]", "team-a");
        type("#group-create input[name=description]", "Team A");
        browser.findElement(By.cssSelector("#group-create input[name=shareResources]")).click();
        browser.findElement(By.id("group-create-submit")).click();
        waitFor("tr[data-group='team-a']");

        open("users", "#user-create");
        // a bad request shows the API's message naming the field
        type("#user-create input[name=name]", "alice");
        browser.findElement(By.id("user-submit")).click();
        waitFor("#user-create input.invalid");
        assertTrue(browser.findElement(By.id("messages")).getText().contains("["),
                browser.findElement(By.id("messages")).getText());
        type("#user-create input[name=displayName]", "Alice");
        type("#user-create input[name=password]", ALICE_PASSWORD);
        new Select(browser.findElement(By.cssSelector("#user-create select[name=group]"))).selectByValue("team-a");
        browser.findElement(By.id("user-submit")).click();
        waitFor("tr[data-user='alice']");
        assertTrue(browser.findElement(By.cssSelector("tr[data-user='alice']")).getText().contains("team-a"));
        chromium.screenshot("portal-users");

        // modify alice: a quota, from the edit form
        browser.findElement(By.cssSelector("tr[data-user='alice'] button[data-action=edit]")).click();
        waitFor("#user-edit input[name=qInstances]");
        type("#user-edit input[name=qInstances]", "3");
        browser.findElement(By.id("user-save")).click();
        waiting().until(d -> d.findElement(By.cssSelector("tr[data-user='alice']")).getText().contains("3 instances"));
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        assertEquals(3, admin.get("/users/alice").body().path("quota").path("instances").asInt());

        // a custom role from the permission catalogue; built-in roles cannot be deleted
        open("roles", "#role-create");
        type("#role-create input[name=name]", "auditor");
        browser.findElement(By.cssSelector("#role-create input[name=perm][value='oplog.read']")).click();
        browser.findElement(By.id("role-submit")).click();
        waitFor("tr[data-role='auditor'] button[data-action=delete]");
        assertTrue(browser.findElements(By.cssSelector("tr[data-role='admin'] button")).isEmpty());
        assertEquals("oplog.read", admin.get("/roles/auditor").body().path("permissions").get(0).asText());

        // a refused sign-in, then alice signs in and sees only her menu entries
        signIn("alice", "not-her-password");
        waiting().until(d -> !d.findElement(By.id("signin-error")).getText().isEmpty());
        signIn("alice", ALICE_PASSWORD);
        waitFor("#nav a");
        List<String> nav = navEntries();
        assertTrue(nav.contains("Instances"), nav.toString());
        for (String hidden : List.of("Users", "Groups", "Roles", "Operation log", "Providers")) {
            assertFalse(nav.contains(hidden), hidden + " must be hidden from alice: " + nav);
        }

        // alice changes her own password through the link on her name
        browser.findElement(By.id("who-link")).click();
        waitFor("#password-form");
        // ... where she also keeps her SSH keys for the shell: a bad key is refused naming it, a good one listed
        waitFor("#sshkeys");
        assertTrue(text("#sshkeys-list").contains("No SSH keys"), text("#sshkeys-list"));
        type("#sshkeys textarea[name=key]", "ssh-rsa bm90IGEga2V5");
        browser.findElement(By.cssSelector("#sshkeys > button")).click();
        waiting().until(d -> text("#sshkeys-error").contains("[sshKeys.0]"));
        String publicKey = sshPublicKey();
        type("#sshkeys textarea[name=key]", publicKey);
        browser.findElement(By.cssSelector("#sshkeys > button")).click();
        waiting().until(d -> text("#sshkeys-list").contains("alice@portal"));
        assertEquals(publicKey, admin.get("/users/alice/ssh-keys").body().path("keys").get(0).asText());
        chromium.screenshot("portal-ssh-keys");
        browser.findElement(By.cssSelector("#sshkeys-list li[data-key='1'] button")).click();
        waiting().until(d -> text("#sshkeys-list").contains("No SSH keys"));
        assertEquals(0, admin.get("/users/alice/ssh-keys").body().path("keys").size());
        type("#password-form input[name=current]", ALICE_PASSWORD);
        type("#password-form input[name=next]", ALICE_PASSWORD + "-2");
        type("#password-form input[name=confirm]", ALICE_PASSWORD + "-2");
        browser.findElement(By.cssSelector("#password-form button[type=submit]")).click();
        waiting().until(d -> "dashboard".equals(d.findElement(By.id("view")).getAttribute("data-page")));
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        assertEquals(401, anonymous.post("/sessions", "{\"user\":\"alice\",\"password\":\"" + ALICE_PASSWORD + "\"}").status());
        assertEquals(2, anonymous.post("/sessions", "{\"user\":\"alice\",\"password\":\"" + ALICE_PASSWORD + "-2\"}").status() / 100);
    }

    @Test
    @Order(3)
    void operationLogShowsTheUserCreationAndTheRefusedSignIn() throws Exception {
        signIn("admin", NEW_PASSWORD);
        waitFor("#nav a");
        open("oplog", "#oplog-filter");
        waitFor("#oplog tr[data-outcome='success'][data-action$='/users']");
        waitFor("#oplog tr[data-outcome='denied'][data-action$='/sessions']");
        // filtered by user and outcome: only alice's refused sign-in
        type("#oplog-filter input[name=user]", "alice");
        new Select(browser.findElement(By.cssSelector("#oplog-filter select[name=outcome]"))).selectByValue("denied");
        browser.findElement(By.id("oplog-submit")).click();
        waiting().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#oplog tbody tr"));
            return !rows.isEmpty() && rows.stream().allMatch(r -> "denied".equals(r.getAttribute("data-outcome"))
                    && "alice".equals(r.getAttribute("data-user")));
        });
        new Select(browser.findElement(By.cssSelector("#oplog-filter select[name=outcome]"))).selectByValue("");
        type("#oplog-filter input[name=user]", "");
        browser.findElement(By.id("oplog-submit")).click();
        waitFor("#oplog tr[data-outcome='success'][data-action$='/users']");
        chromium.screenshot("portal-operation-log");

        // in pages: twelve refused sign-ins of one name, ten rows a page, Next and Previous by cursor
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        for (int i = 0; i < 12; i++) {
            assertEquals(401, anonymous.post("/sessions", "{\"user\":\"pager\",\"password\":\"wrong-" + i + "\"}")
                    .status());
        }
        type("#oplog-filter input[name=user]", "pager");
        browser.findElement(By.id("oplog-submit")).click();
        waiting().until(d -> text("#oplog-range").equals("1–12 of 12"));
        new Select(browser.findElement(By.id("oplog-size"))).selectByValue("10");
        waiting().until(d -> text("#oplog-range").equals("1–10 of 12")
                && d.findElements(By.cssSelector("#oplog tbody tr")).size() == 10);
        browser.findElement(By.id("oplog-next")).click();
        waiting().until(d -> text("#oplog-range").equals("11–12 of 12")
                && d.findElements(By.cssSelector("#oplog tbody tr")).size() == 2);
        browser.findElement(By.id("oplog-previous")).click();
        waiting().until(d -> text("#oplog-range").equals("1–10 of 12"));
    }

    @Test
    @Order(4)
    void addressPoolCreatedFromThePageShowsItsFreeCount() throws Exception {
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        assertEquals(201, admin.post("/pools", "{\"name\":\"vms\"}").status());
        open("address-pools", "#address-pool-create");
        type("#address-pool-create input[name=name]", "lab");
        type("#address-pool-create input[name=ranges]", "10.99.0.10-10.99.0.19");
        type("#address-pool-create input[name=gateway]", "10.99.0.1");
        type("#address-pool-create input[name=dnsServers]", "10.99.0.1");
        type("#address-pool-create input[name=domain]", "lab.test");
        browser.findElement(By.cssSelector("#address-pool-create input[name=computePools][value=vms]")).click();
        browser.findElement(By.id("address-pool-submit")).click();
        waitFor("section[data-address-pool='lab'][data-free='10']");
        WebElement pool = browser.findElement(By.cssSelector("section[data-address-pool='lab']"));
        assertEquals("10", pool.findElement(By.cssSelector("tr[data-range='10.99.0.10-10.99.0.19'] .free")).getText());
        assertTrue(pool.getText().contains("vms"), pool.getText());
        JsonNode pools = admin.get("/address-pools").body();
        assertEquals("lab", pools.get(0).path("name").asText());

        // a second range from the page
        WebElement add = pool.findElement(By.cssSelector("form.add-range input[name=range]"));
        add.sendKeys("10.99.0.30-10.99.0.34");
        pool.findElement(By.cssSelector("form.add-range button[type=submit]")).click();
        waitFor("section[data-address-pool='lab'][data-free='15']");

        // a refused change shows the API's message: an overlapping range
        pool = browser.findElement(By.cssSelector("section[data-address-pool='lab']"));
        pool.findElement(By.cssSelector("form.add-range input[name=range]")).sendKeys("10.99.0.15-10.99.0.16");
        pool.findElement(By.cssSelector("form.add-range button[type=submit]")).click();
        waiting().until(d -> d.findElement(By.id("messages")).getText().contains("overlaps"));

        // the instance form offers the pool and an address
        open("instances", "#create-form");
        assertTrue(browser.findElement(By.cssSelector("#create-form select[name=addressPoolId]")).getText().contains("lab"));
        assertFalse(browser.findElements(By.cssSelector("#create-form input[name=address]")).isEmpty());
    }

    @Test
    @Order(5)
    void addressPoolPageInChinese() throws Exception {
        open("address-pools", "section[data-address-pool='lab']");
        new Select(browser.findElement(By.id("lang"))).selectByValue("zh");
        waiting().until(d -> "地址池".equals(d.findElement(By.cssSelector("main h2")).getText()));
        List<String> nav = navEntries();
        assertTrue(nav.contains("用户") && nav.contains("操作日志"), nav.toString());
        assertTrue(browser.findElement(By.cssSelector("section[data-address-pool='lab']")).getText().contains("空闲"));
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waiting().until(d -> "Address pools".equals(d.findElement(By.cssSelector("main h2")).getText()));

        // delete from the page (drawn again in English: click the button of the new drawing)
        waiting().until(d -> {
            d.findElement(By.cssSelector("section[data-address-pool='lab'] button[data-action=delete]")).click();
            return true;
        });
        browser.switchTo().alert().accept();
        waiting().until(d -> d.findElements(By.cssSelector("section[data-address-pool='lab']")).isEmpty());
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        assertTrue(admin.get("/address-pools").body().isEmpty());
    }

    @Test
    @Order(6)
    void theMigrateDialogOffersAutomaticAndShowsTheRefusalOfASingleCellPool() throws Exception {
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        await("cell " + CELL + " online", () -> "ONLINE".equals(admin.get("/cells/" + CELL).body().path("status")
                .asText()), Duration.ofMinutes(2));
        assertEquals(200, admin.post("/cells/" + CELL + "/add-to-pool", "{\"pool\":\"vms\"}").status());
        // a blank instance is enough: the domain runs (nothing to boot), which is all a migration asks
        new InstanceApi(admin, () -> InstanceApi.tail(node.log())).succeeded(admin.post("/instances",
                "{\"name\":\"mig-1\",\"poolId\":\"vms\",\"cores\":1,\"memoryBytes\":67108864,"
                        + "\"disks\":[{\"sizeBytes\":1048576}]}"));
        await("mig-1 running", () -> "RUNNING".equals(admin.get("/instances/mig-1").body().path("state").asText()),
                Duration.ofMinutes(2));
        String instanceId = admin.get("/instances/mig-1").body().path("id").asText();

        open("instance/" + instanceId, "#migrate-open");
        waiting().until(d -> {
            d.findElement(By.id("migrate-open")).click();
            return true;
        });
        waitFor("#migrate-dialog input[name=target]");
        WebElement automatic = browser.findElement(By.cssSelector("#migrate-dialog label[data-target='']"));
        assertTrue(automatic.getText().contains("Automatic"), automatic.getText());
        assertTrue(automatic.findElement(By.tagName("input")).isSelected(), "Automatic is the default choice");
        // the pool has no cell but the instance's own: only Automatic to choose
        assertEquals(1, browser.findElements(By.cssSelector("#migrate-dialog input[name=target]")).size());
        browser.findElement(By.id("migrate-submit")).click();
        // the Core's refusal (409, field cell) shows in the dialog, not on the page's message line
        waiting().until(d -> text("#migrate-error").contains("no other cell"));
        assertTrue(text("#migrate-error").contains("[cell]"), text("#migrate-error"));
        assertEquals("", text("#messages"));
        assertTrue(browser.findElements(By.cssSelector("#migrate-task .task")).isEmpty(), "nothing was queued");
        JsonNode after = admin.get("/instances/mig-1").body();
        assertEquals("RUNNING", after.path("state").asText(), after.toString());
        assertEquals(CELL, after.path("cellId").asText(), after.toString());
        waitFor("h2 [data-state='running']");
        browser.findElement(By.id("migrate-close")).click();
        waiting().until(d -> d.findElements(By.id("migrate-dialog")).isEmpty());
    }

    @Test
    @Order(7)
    void theCellsPageEvacuatesAfterItsConfirmationAndShowsWhatDidNotMove() throws Exception {
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        String evacuate = "tr[data-cell='" + CELL + "'] button[data-action=evacuate]";
        open("cells", evacuate);
        // the confirmation says what happens; cancelled, nothing changes
        waiting().until(d -> {
            d.findElement(By.cssSelector(evacuate)).click();
            return true;
        });
        Alert question = waiting().until(ExpectedConditions.alertIsPresent());
        String said = question.getText();
        assertTrue(said.contains("Evacuate cell " + CELL) && said.contains("(1) moves to the other cells of pool vms")
                && said.contains("stays disabled until you enable it again"), said);
        question.dismiss();
        assertTrue(admin.get("/cells/" + CELL).body().path("enabled").asBoolean(), "a cancelled evacuation changes nothing");
        assertTrue(text("#cell-task-box").isEmpty(), text("#cell-task-box"));

        // confirmed: the only instance has nowhere to go; the page says so, the cell stays disabled
        waiting().until(d -> {
            d.findElement(By.cssSelector(evacuate)).click();
            return true;
        });
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waitFor("#cell-task-box .task.failed");
        waiting().until(d -> text("#evacuation-count").contains("0 of 1 instances moved"));
        String failures = text("#evacuation-failures");
        assertTrue(failures.contains("mig-1 did not move") && failures.contains("no other cell"), failures);
        assertTrue(text("#messages").contains("Not every instance left cell " + CELL), text("#messages"));
        waiting().until(d -> text("tr[data-cell='" + CELL + "'] .actions").contains("Enable"));
        assertFalse(admin.get("/cells/" + CELL).body().path("enabled").asBoolean());
        JsonNode mig = admin.get("/instances/mig-1").body();
        assertEquals("RUNNING", mig.path("state").asText(), mig.toString());
        assertEquals(CELL, mig.path("cellId").asText(), mig.toString());

        // enabled again, as the confirmation said it must be
        assertEquals(200, admin.post("/cells/" + CELL + "/enable", "").status());
        assertTrue(admin.get("/cells/" + CELL).body().path("enabled").asBoolean());
    }

    @Test
    @Order(8)
    void theStoragePageCreatesAttachesDetachesAndDeletesAStoragePool() throws Exception {
        RestClient admin = new RestClient(node.httpPort, "admin", NEW_PASSWORD);
        String row = "tr[data-storage-pool='portal-local']";
        open("storage", "#storage-pool-create");
        assertTrue(text("main").contains("Storage of each cell"), text("main"));

        // an nfs pool whose server does not answer: the cell's refusal (400, field server) beside the form
        new Select(browser.findElement(By.cssSelector("#storage-pool-create select[name=type]"))).selectByValue("nfs");
        type("#storage-pool-create input[name=name]", "portal-nfs");
        type("#storage-pool-create input[name=server]", "127.0.0.2");
        type("#storage-pool-create input[name=export]", "/nowhere");
        browser.findElement(By.id("storage-pool-submit")).click();
        waiting().until(d -> text("#storage-pool-error").contains("[server]"));
        assertTrue(text("#storage-pool-error").contains("NFS server '127.0.0.2'"), text("#storage-pool-error"));
        waitFor("#storage-pool-create input[name=server].invalid");
        assertEquals("", text("#messages"));
        assertTrue(browser.findElements(By.cssSelector("tr[data-storage-pool='portal-nfs']")).isEmpty());
        assertEquals(0, admin.get("/storage-pools").body().size(), admin.get("/storage-pools").text());

        // a local pool (the default directory on each cell): the cell checks it, the page lists it
        new Select(browser.findElement(By.cssSelector("#storage-pool-create select[name=type]"))).selectByValue("local");
        assertFalse(browser.findElement(By.cssSelector("#storage-pool-create input[name=server]")).isDisplayed());
        type("#storage-pool-create input[name=name]", "portal-local");
        browser.findElement(By.id("storage-pool-submit")).click();
        waitFor(row);
        waiting().until(d -> text("#storage-pool-error").isEmpty());
        // the page redraws its tables every 2 s: read the row in a wait, not once
        waiting().until(d -> text(row).contains("local"));
        assertEquals("local", admin.get("/storage-pools/portal-local").body().path("provider").asText());

        // attached to the compute pool vms from its row
        waiting().until(d -> {
            WebElement r = d.findElement(By.cssSelector(row));
            new Select(r.findElement(By.cssSelector("select[name=computePool]"))).selectByValue("vms");
            r.findElement(By.cssSelector("button[data-action=attach]")).click();
            return true;
        });
        waitFor(row + "[data-compute-pools='vms']");
        waiting().until(d -> text(row + " .compute-pools").contains("vms"));
        assertEquals("vms", admin.get("/storage-pools/portal-local").body().path("computePools").get(0).asText());

        // delete refused while attached: the Core's 409 in the row, the pool kept
        waiting().until(d -> {
            d.findElement(By.cssSelector(row + " button[data-action=delete]")).click();
            return true;
        });
        Alert question = waiting().until(ExpectedConditions.alertIsPresent());
        assertTrue(question.getText().contains("portal-local"), question.getText());
        question.accept();
        waiting().until(d -> text(row + " .row-error").contains("attached to compute pool(s) vms"));
        assertEquals(200, admin.get("/storage-pools/portal-local").status());

        // detached, then deleted: gone from the page and the API
        waiting().until(d -> {
            d.findElement(By.cssSelector(row + " button[data-action=detach][data-compute-pool='vms']")).click();
            return true;
        });
        waitFor(row + "[data-compute-pools='']");
        assertEquals(0, admin.get("/storage-pools/portal-local").body().path("computePools").size());
        waiting().until(d -> {
            d.findElement(By.cssSelector(row + " button[data-action=delete]")).click();
            return true;
        });
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(d -> d.findElements(By.cssSelector(row)).isEmpty());
        assertEquals(404, admin.get("/storage-pools/portal-local").status());
        assertEquals(0, admin.get("/storage-pools").body().size());
    }

    /** The Metrics page shows what GET /api/v1/metrics serves, narrowed by its filter. */
    @Test
    @Order(9)
    void theMetricsPageShowsTheSeriesOfTheCore() {
        open("metrics", "tr[data-metric='skiff_cells']");
        assertTrue(text("#nav").contains("Metrics"), text("#nav"));
        assertTrue(text("#metrics-count").matches("\\d+ of \\d+ series shown"), text("#metrics-count"));
        type("#metrics-filter input[name=match]", "skiff_cells{status=\"online\"}");
        browser.findElement(By.id("metrics-filter-submit")).click();
        waiting().until(d -> text("#metrics-count").startsWith("1 of "));
        assertEquals("1.0", text("tr[data-metric='skiff_cells'] td:nth-child(3)"));
        assertTrue(browser.findElements(By.cssSelector("tr[data-metric='jvm_threads_current']")).isEmpty());
    }
}
