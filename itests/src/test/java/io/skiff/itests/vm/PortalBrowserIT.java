package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.guest.LibvirtEnvironment;
import io.skiff.itests.guest.TestGuest;
import io.skiff.itests.guest.Virsh;
import io.skiff.itests.system.KarafNode;
import io.skiff.itests.system.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal in Debian's headless Chromium (driven by Debian's chromedriver through Selenium) against the built
 * distribution with a real Cell, libvirtd and the test guest: sign in; create an instance from the form; it
 * reaches running with live figures; its console shows the guest's screen through the WebSocket proxy; the page
 * switches to Chinese and back; a reused console token is refused; a stopped instance's console is refused.
 * Screenshots (dashboard, instance, console) are saved under target/screenshots and copied to docs/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserIT {
    private static final String PASSWORD = "portal-test-secret";
    /** Ports may be moved (-Dskiff.it.portal.httpPort/sshPort/transportPort) when two worktrees run it at once. */
    private static final int HTTP_PORT = Integer.getInteger("skiff.it.portal.httpPort", 9281);
    private static final String SSH_PORT = System.getProperty("skiff.it.portal.sshPort", "9301");
    private static final String TRANSPORT_PORT = System.getProperty("skiff.it.portal.transportPort", "27930");
    private static final String STORAGE_POOL = "skiff-itest-portal-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration LONG = Duration.ofMinutes(4);
    private static KarafNode node;
    private static RestClient api;
    private static WebDriver browser;
    private static HeadlessChromium chromium;
    private static String instanceId;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.requireInstalled();
        LibvirtEnvironment.ensureUp();
        Path image = TestGuest.image();
        Path archive = Path.of(System.getProperty("skiff.distribution"));
        Path nodes = Path.of(System.getProperty("skiff.nodes", "target/nodes"));
        node = KarafNode.unpack(archive, nodes, "portal-node", HTTP_PORT);
        Map<String, Map<String, String>> configs = VmTestNode.cellConfigs("portal-cell",
                Integer.parseInt(TRANSPORT_PORT), "skiff-portal-test", STORAGE_POOL);
        configs.put("io.skiff.core.instances", Map.of("stopTimeoutSeconds", "5"));
        VmTestNode.configure(node, Integer.parseInt(SSH_PORT), configs);
        node.start(Map.of("SKIFF_ADMIN_PASSWORD", PASSWORD));
        api = new RestClient(node.httpPort, "admin", PASSWORD);
        RestClient anonymous = new RestClient(node.httpPort, null, null);
        vms().await("health UP", () -> {
            RestClient.Answer h = anonymous.get("/health");
            return h.status() == 200 && h.text().contains("\"UP\"");
        }, Duration.ofSeconds(180));
        RestClient.Answer imported = api.post("/images", "{\"name\":\"test-guest\",\"path\":\"" + image + "\"}");
        assertEquals(201, imported.status(), imported.text());
        assertEquals(201, api.post("/pools", "{\"name\":\"vms\"}").status());
        vms().await("cell joins", () -> api.get("/cells/portal-cell").status() == 200, Duration.ofSeconds(60));
        assertEquals(200, api.post("/cells/portal-cell/add-to-pool", "{\"pool\":\"vms\"}").status());

        chromium = HeadlessChromium.start("1280,1000");
        browser = chromium.browser;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
            if (api != null) {
                RestClient.Answer list = api.get("/instances");
                if (list.status() == 200) {
                    for (JsonNode i : list.body()) {
                        api.delete("/instances/" + i.path("id").asText() + "?force=true");
                    }
                    vms().await("instances deleted", () -> api.get("/instances").body() == null
                            || api.get("/instances").body().isEmpty(), Duration.ofSeconds(90));
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
        return new InstanceApi(api, () -> "karaf.log tail:\n" + InstanceApi.tail(node.log()));
    }

    private static String url(String hash) {
        return "http://127.0.0.1:" + HTTP_PORT + "/portal/" + hash;
    }

    private static WebDriverWait waiting(Duration timeout) {
        // the pages re-render every 2 s: an element read a moment ago may be gone, so look it up again
        return (WebDriverWait) new WebDriverWait(browser, timeout, Duration.ofMillis(250))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Clicks the element with this id, looked up again should the page have been drawn anew meanwhile. */
    private static void click(String id) {
        waiting(Duration.ofSeconds(30)).until(d -> {
            d.findElement(By.id(id)).click();
            return true;
        });
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        try {
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return ""; // re-rendered meanwhile: the caller's wait asks again
        }
    }

    /** No page, form or console of the portal breaks its Content-Security-Policy (no inline script or style). */
    @AfterEach
    void theContentSecurityPolicyHeld() {
        List<String> refused = chromium.consoleMessages().stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
        assertTrue(refused.isEmpty(), "refused by the portal's Content-Security-Policy: " + refused);
    }

    @Test
    @Order(1)
    void signInShowsTheDashboard() throws Exception {
        browser.get(url(""));
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("signin-form")).isEmpty());
        browser.findElement(By.id("signin-user")).sendKeys("admin");
        browser.findElement(By.id("signin-password")).sendKeys("wrong password");
        browser.findElement(By.id("signin-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> text("#signin-error").contains("Wrong user or password"));
        browser.findElement(By.id("signin-password")).clear();
        browser.findElement(By.id("signin-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("signin-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("running-count")).isEmpty());
        assertTrue(text("main").contains("Zone skiff-portal-test"), text("main"));
        assertTrue(text("main").contains("portal-cell"), text("main"));
        // the portal's own pages carry a policy without inline script or style, and may not be framed
        java.net.http.HttpResponse<Void> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("").replace("#", ""))).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self'")
                && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline")
                && !csp.contains("unsafe-eval"), page.uri() + ": " + csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        // the browser applies it, and a refusal shows in its console (which the check after each test reads):
        // markup with an inline style, as an injected text would be, is refused
        chromium.consoleMessages();
        chromium.script("document.body.insertAdjacentHTML('beforeend', '<span id=\"csp-probe\" style=\"color: red\">"
                + "probe</span>'); document.getElementById('csp-probe').remove();");
        waiting(Duration.ofSeconds(10)).until(d -> chromium.consoleMessages().stream()
                .anyMatch(m -> m.contains("Content Security Policy") && m.contains("style-src")));
    }

    @Test
    @Order(2)
    void anInstanceCreatedFromTheFormRunsWithLiveFigures() throws Exception {
        browser.get(url("#/instances"));
        WebElement form = waiting(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("create-form")));
        // bad input first: a clear message naming the field, nothing created
        form.findElement(By.name("name")).sendKeys("web-1");
        form.findElement(By.name("cores")).clear();
        form.findElement(By.name("cores")).sendKeys("0");
        form.findElement(By.id("create-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> text("#messages").contains("cores"));
        assertTrue(api.get("/instances").body().isEmpty(), "nothing was created from bad input");

        form.findElement(By.name("cores")).clear();
        form.findElement(By.name("cores")).sendKeys("1");
        form.findElement(By.name("memory")).clear();
        form.findElement(By.name("memory")).sendKeys("256");
        new Select(form.findElement(By.name("poolId"))).selectByValue("vms");
        new Select(form.findElement(By.name("profile"))).selectByValue("linux-virtio");
        form.findElement(By.name("labels")).sendKeys("tier=web");
        assertTrue(new Select(form.findElement(By.name("imageId"))).getFirstSelectedOption().getText()
                .startsWith("test-guest"));
        form.findElement(By.id("create-submit")).click();
        // the task's progress shows, then the outcome
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("#task-box .task")).isEmpty());
        waiting(LONG).until(d -> !d.findElements(By.cssSelector("tr[data-instance='web-1'] [data-state='running']")).isEmpty());
        waiting(LONG).until(d -> !d.findElements(By.cssSelector("#task-box .task.ok")).isEmpty());
        instanceId = vms().instance("web-1").path("id").asText();
        // the list is paged (the range and count from the API's X-Total-Count) and filtered by the API
        waiting(Duration.ofSeconds(30)).until(d -> text("#instance-range").equals("1–1 of 1"));
        WebElement filter = browser.findElement(By.id("instance-filter"));
        new Select(filter.findElement(By.name("state"))).selectByValue("stopped");
        filter.findElement(By.id("instance-filter-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("tr[data-instance='web-1']")).isEmpty()
                && text("#instance-range").isEmpty());
        new Select(filter.findElement(By.name("state"))).selectByValue("running");
        filter.findElement(By.name("namePrefix")).sendKeys("web-");
        filter.findElement(By.name("label")).sendKeys("tier=db");
        filter.findElement(By.id("instance-filter-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("tr[data-instance='web-1']")).isEmpty()
                && text("#instance-range").isEmpty());
        filter.findElement(By.name("label")).clear();
        filter.findElement(By.name("label")).sendKeys("tier=web");
        filter.findElement(By.id("instance-filter-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("tr[data-instance='web-1']")).isEmpty());
        assertEquals("tier=web", text("tr[data-instance='web-1'] code.label"), "the label from the create form");
        assertTrue(browser.findElements(By.id("instance-next")).isEmpty(), "one page only");

        browser.findElement(By.linkText("web-1")).click();
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("[data-figure='cpu']")).isEmpty());
        // live figures: the CPU figure is a percentage and the sample time moves on between refreshes
        waiting(LONG).until(d -> text("[data-figure='cpu'] td").contains("%"));
        // labels change at once; a bad pair is refused in the portal, a bad key by the Core, naming the field
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("instance-labels")).isEmpty());
        WebElement labels = browser.findElement(By.id("instance-labels"));
        assertEquals("tier=web", labels.getAttribute("value"));
        labels.clear();
        labels.sendKeys("tier=web -role=x");
        browser.findElement(By.id("apply-labels")).click();
        waiting(Duration.ofSeconds(30)).until(d -> text(".messages").contains("[labels]"));
        labels = browser.findElement(By.id("instance-labels"));
        labels.clear();
        labels.sendKeys("tier=web, role=primary");
        browser.findElement(By.id("apply-labels")).click();
        waiting(Duration.ofSeconds(30)).until(d -> vms().instance("web-1").path("spec").path("labels")
                .path("role").asText().equals("primary"));
        waiting(Duration.ofSeconds(30)).until(d -> text(".messages").contains("role=primary tier=web"));
        assertEquals("Labels", text("section.labels-section .labels-edit").strip().replace("Apply labels", "").strip(),
                "the field and its button, nothing else (no hint once labelled, no stray text)");
        String sampled = text("[data-figure='sampled'] td");
        waiting(Duration.ofSeconds(60)).until(d -> !text("[data-figure='sampled'] td").equals(sampled));
        waiting(LONG).until(d -> text("#console-log").contains("SKIFF-GUEST-READY"));
        chromium.screenshot("instance");

        browser.get(url("#/dashboard"));
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("li.instance[data-instance='web-1'] [data-state='running']")).isEmpty());
        waiting(Duration.ofSeconds(30)).until(d -> text("li.instance[data-instance='web-1']").contains("CPU"));
        chromium.screenshot("dashboard");
    }

    @Test
    @Order(3)
    void theConsoleShowsTheGuestsScreenWithoutItsPassword() throws Exception {
        browser.get(url("#/instance/" + instanceId));
        waiting(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("open-console"))).click();
        waiting(Duration.ofSeconds(60)).until(d -> "console.connected".equals(
                d.findElement(By.id("console-status")).getAttribute("data-status")));
        // the canvas shows the guest's screen: enough pixels that are not the background
        waiting(Duration.ofSeconds(90)).until(d -> litPixels() > 500);
        chromium.screenshot("console");

        String password = api.get("/instances/" + instanceId + "/vnc").body().path("password").asText();
        assertEquals(8, password.length());
        assertFalse(browser.getPageSource().contains(password), "the page never holds the VNC password");
        RestClient.Answer ticket = api.post("/instances/" + instanceId + "/console", "");
        assertFalse(ticket.text().contains(password), "the console ticket carries no password");
    }

    /** Pixels of the console canvas brighter than near-black. */
    private static long litPixels() {
        Object n = chromium.script("const c = document.querySelector('#console-screen canvas');"
                + "if (!c || !c.width) { return 0; }"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let lit = 0;"
                + "for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] > 120) { lit++; } }"
                + "return lit;");
        return ((Number) n).longValue();
    }

    @Test
    @Order(4)
    void theLanguageSwitchesToChineseAndBackWithoutDroppingTheConsole() {
        Select lang = new Select(browser.findElement(By.id("lang")));
        lang.selectByValue("zh");
        waiting(Duration.ofSeconds(30)).until(d -> text("#nav").contains("云主机"));
        assertTrue(text("#console-status").contains("已连接"), text("#console-status"));
        assertEquals("zh-CN", browser.findElement(By.tagName("html")).getAttribute("lang"));
        browser.get(url("#/instances"));
        waiting(Duration.ofSeconds(30)).until(d -> text("main h2").equals("云主机"));
        waiting(Duration.ofSeconds(30)).until(d -> text("tr[data-instance='web-1']").contains("运行中"));
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        waiting(Duration.ofSeconds(30)).until(d -> text("main h2").equals("Instances"));
        assertTrue(text("tr[data-instance='web-1']").contains("running"));
    }

    @Test
    @Order(5)
    void aReusedConsoleTokenIsRefused() {
        // in the page's own session: take a ticket, open it once, then try the same token again
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const s = JSON.parse(sessionStorage.getItem('skiff.session'));"
                + "fetch('/api/v1/instances/' + arguments[0] + '/console', {method: 'POST',"
                + "  headers: {Authorization: 'Bearer ' + s.token}}).then(r => r.json()).then(ticket => {"
                + "  const url = 'ws://' + location.host + ticket.path;"
                + "  const first = new WebSocket(url); first.binaryType = 'arraybuffer';"
                + "  first.onmessage = (m) => {"
                + "    const greeting = new TextDecoder().decode(m.data); first.close();"
                + "    const second = new WebSocket(url);"
                + "    second.onclose = (e) => done({greeting, code: e.code, reason: e.reason});"
                + "  };"
                + "  first.onclose = (e) => { if (e.code >= 4000) { done({greeting: null, code: e.code, reason: e.reason}); } };"
                + "}).catch(e => done({error: String(e)}));", instanceId);
        assertEquals("RFB 003.008\n", result.get("greeting"), result.toString());
        assertEquals(4403L, ((Number) result.get("code")).longValue(), result.toString());
        assertTrue(String.valueOf(result.get("reason")).contains("already used"), result.toString());
    }

    @Test
    @Order(6)
    void aStoppedInstancesConsoleIsRefusedWithAClearMessage() throws Exception {
        browser.get(url("#/instance/" + instanceId));
        waiting(Duration.ofSeconds(30)).until(d -> d.findElement(By.cssSelector("button[data-action='stop']"))).click();
        waiting(LONG).until(d -> !d.findElements(By.cssSelector("h2 [data-state='stopped']")).isEmpty());
        RestClient.Answer refused = api.post("/instances/" + instanceId + "/console", "");
        assertEquals(409, refused.status(), refused.text());
        browser.get(url("#/console/" + instanceId));
        waiting(Duration.ofSeconds(30)).until(d -> text("#console-status").contains("not running"));
    }

    @Test
    @Order(7)
    void theProvidersPageListsTheProvidersOfEachSpi() {
        browser.get(url("#/providers"));
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("tr[data-provider]")).isEmpty());
        assertTrue(text("main").contains("linux-virtio"), text("main"));
        assertTrue(text("main").contains("skiff-hypervisor-libvirt") || text("main").contains("hypervisor"), text("main"));
    }

    @Test
    @Order(8)
    void anImageUploadsFromTheImagesPageAndTheInstancePageGrowsADisk() throws Exception {
        Path image = TestGuest.image();
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(image)));
        browser.get(url("#/images"));
        WebElement form = waiting(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("image-upload")));
        form.findElement(By.name("file")).sendKeys(image.toString());
        form.findElement(By.name("name")).sendKeys("from-browser");
        form.findElement(By.name("tags")).sendKeys("portal, test");
        form.findElement(By.cssSelector("button[type='submit']")).click();
        waiting(LONG).until(d -> !d.findElements(By.cssSelector("tr[data-image='from-browser']")).isEmpty());
        assertTrue(text("#image-progress").contains("from-browser"), text("#image-progress"));
        int images = api.get("/images").body().size();
        waiting(Duration.ofSeconds(30)).until(d -> text("#image-range").equals("1–" + images + " of " + images)); // a page of 50
        chromium.screenshot("images");
        JsonNode uploaded = api.get("/images/from-browser").body();
        assertEquals(sha, uploaded.path("sha256").asText(), uploaded.toString());
        assertEquals("portal", uploaded.path("tags").get(0).asText(), uploaded.toString());

        long size = api.get("/instances/" + instanceId).body().path("spec").path("disks").get(0).path("sizeBytes")
                .asLong();
        long grown = size + (64L << 20);
        browser.get(url("#/instance/" + instanceId));
        // the section is drawn again every 2 s: an input caught while it is (re)laid out is tried again
        waiting(Duration.ofSeconds(30)).ignoring(org.openqa.selenium.ElementNotInteractableException.class).until(d -> {
            d.findElement(By.cssSelector("#instance-disks input[name='grow-0']")).sendKeys(String.valueOf(grown >> 20));
            d.findElement(By.cssSelector("#instance-disks button[data-disk='0']")).click();
            return true;
        });
        vms().await("disk 0 grown from the page", () -> api.get("/instances/" + instanceId).body().path("spec")
                .path("disks").get(0).path("sizeBytes").asLong() == grown, LONG);
        waiting(LONG).until(d -> text("#instance-disks").contains((grown >> 20) + ".0 MiB"));
        chromium.screenshot("instance-disks");
    }

    @Test
    @Order(9)
    void theInstancePageInsertsAndEjectsAMediumAndSetsTheBootDevice() throws Exception {
        Path dir = Files.createTempDirectory("skiff-portal-media");
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.writeString(content.resolve("README.TXT"), "portal medium\n");
        Path iso = dir.resolve("portal.iso");
        assertEquals(0, new ProcessBuilder("genisoimage", "-quiet", "-V", "PORTAL", "-o", iso.toString(),
                content.toString()).inheritIO().start().waitFor());
        java.net.http.HttpResponse<String> up = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + HTTP_PORT
                                + "/api/v1/media/upload?name=portal-iso"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("admin:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/octet-stream")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(iso)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());
        String mediumId = api.get("/media/portal-iso").body().path("id").asText();

        // the instance is stopped (order 6): insert in its definition, boot device changeable
        browser.get(url("#/instance/" + instanceId));
        waiting(Duration.ofSeconds(30)).until(d -> text("#inserted-media").length() > 0);
        String section = text("#media");
        assertTrue(section.contains("Insert") && section.contains("Eject") && !section.contains("mediaDrive."),
                section);
        waiting(Duration.ofSeconds(30)).until(d -> {
            new org.openqa.selenium.support.ui.Select(d.findElement(By.cssSelector("#media select[name='media']")))
                    .selectByValue(mediumId);
            d.findElement(By.id("insert-media")).click();
            return true;
        });
        vms().await("the medium inserted from the page", () -> mediumId.equals(api.get("/instances/" + instanceId)
                .body().path("spec").path("media").asText()), LONG);
        waiting(LONG).until(d -> text("#inserted-media").contains("portal-iso"));

        waiting(Duration.ofSeconds(30)).until(d -> {
            new org.openqa.selenium.support.ui.Select(d.findElement(By.cssSelector("#media select[name='bootFrom']")))
                    .selectByValue("cdrom");
            d.findElement(By.id("set-boot-from")).click();
            return true;
        });
        vms().await("boot device set from the page", () -> "cdrom".equals(api.get("/instances/" + instanceId)
                .body().path("spec").path("bootFrom").asText()), Duration.ofSeconds(30));
        waiting(Duration.ofSeconds(30)).until(d -> text("#boot-from").contains("CD-ROM"));
        chromium.screenshot("instance-media");
        assertEquals(200, api.put("/instances/" + instanceId + "/boot-from", "{\"bootFrom\":\"disk\"}").status());

        waiting(Duration.ofSeconds(30)).until(d -> {
            d.findElement(By.id("eject-media")).click();
            return true;
        });
        vms().await("the medium ejected from the page", () -> api.get("/instances/" + instanceId).body()
                .path("spec").path("media").isNull(), LONG);
        waiting(LONG).until(d -> text("#inserted-media").contains("empty"));
        assertEquals(204, api.delete("/media/portal-iso").status());
    }

    @Test
    @Order(10)
    void theInstancePageChangesTheRestartPolicyAndListsTheInstancesEvents() throws Exception {
        browser.get(url("#/instance/" + instanceId));
        waiting(Duration.ofSeconds(30)).until(d -> {
            new org.openqa.selenium.support.ui.Select(d.findElement(By.cssSelector(
                    "#restart-policy select[name='restartPolicy']"))).selectByValue("on-failure");
            d.findElement(By.id("apply-restart-policy")).click();
            return true;
        });
        vms().await("the restart policy changed from the page", () -> "on-failure".equals(api.get("/instances/"
                + instanceId).body().path("spec").path("restartPolicy").asText()), Duration.ofSeconds(30));
        // the events: at least the create, the stop (order 6) and this change, newest first
        waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#instance-events tr[data-event]"))
                .size() >= 3);
        assertEquals(200, api.put("/instances/" + instanceId, "{\"restartPolicy\":\"never\"}").status());
    }

    @Test
    @Order(11)
    void theTasksPageIsPagedAndFiltered() throws Exception {
        // more than one page of ten: the tests before made about seven tasks; stops and starts make the rest
        while (api.get("/tasks").body().size() <= 10) {
            boolean running = "RUNNING".equals(vms().instance("web-1").path("state").asText());
            vms().succeeded(api.post("/instances/" + instanceId + (running ? "/stop?force=true" : "/start"), null));
        }
        int total = api.get("/tasks").body().size();
        browser.get(url("#/tasks"));
        waiting(Duration.ofSeconds(30)).until(d -> text("#task-range").endsWith(" of " + total));
        // the pager is drawn anew with the list every 2 s: each use looks it up again (the wait ignores stale ones)
        waiting(Duration.ofSeconds(30)).until(d -> {
            new Select(d.findElement(By.id("task-size"))).selectByValue("10");
            return true;
        });
        waiting(Duration.ofSeconds(30)).until(d -> text("#task-range").equals("1–10 of " + total)
                && d.findElements(By.cssSelector("tr[data-task]")).size() == 10);
        String firstPage = waiting(Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("tr[data-task]"))
                .get(0).getAttribute("data-task"));
        click("task-next");
        // the second page: other tasks
        waiting(Duration.ofSeconds(30)).until(d -> text("#task-range").startsWith("11–")
                && d.findElements(By.cssSelector("tr[data-task='" + firstPage + "']")).isEmpty());
        click("task-previous");
        waiting(Duration.ofSeconds(30)).until(d -> text("#task-range").equals("1–10 of " + total)
                && !d.findElements(By.cssSelector("tr[data-task='" + firstPage + "']")).isEmpty());

        WebElement filter = browser.findElement(By.id("task-filter"));
        new Select(filter.findElement(By.name("state"))).selectByValue("succeeded");
        filter.findElement(By.id("task-filter-submit")).click();
        waiting(Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("tr[data-task]")).isEmpty()
                && d.findElements(By.cssSelector("tr[data-task]:not([data-state='succeeded'])")).isEmpty());
        chromium.screenshot("tasks");
    }
}
