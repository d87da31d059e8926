package io.skiff.itests.osgi;

import io.skiff.api.model.Cell;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthService;
import io.skiff.api.service.CellService;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.ReadinessService;
import io.skiff.api.state.StateStore;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskEngine;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.api.transport.ClusterTransport;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceMethodInfoDTO;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import javax.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The all-in-one distribution under Pax Exam: its features are installed, Core, Cell and REST services wire
 * to each other, the REST API answers with and without credentials, and the shell commands run.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AllInOneIT extends SkiffTestSupport {

    @Inject
    private FeaturesService features;
    @Inject
    private ComputePoolService pools;
    @Inject
    private CellService cells;
    @Inject
    private TaskEngine engine;
    @Inject
    private InstanceService instances;
    @Inject
    private StateStore store;
    @Inject
    private ClusterTransport transport;
    @Inject
    private AuthService auth;
    @Inject
    private ReadinessService readiness;
    @Inject
    private JaxrsServiceRuntime whiteboard;
    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws IOException {
        return distribution();
    }

    @org.junit.AfterClass
    public static void cleanUp() {
        removeStoragePool();
    }

    record Answer(int status, String body, Map<String, List<String>> headers) {
        Answer(int status, String body) {
            this(status, body, Map.of());
        }

        /** @return the first value of a response header, {@code null} when absent */
        String header(String name) {
            return headers.entrySet().stream().filter(e -> name.equalsIgnoreCase(e.getKey()))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private Answer http(String method, String path, String json, String authorization) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort() + "/api/v1" + path)
                .openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(20000);
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>();
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null) {
                headers.put(name, values);
            }
        });
        return new Answer(status, body, headers);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Answer awaitHealthUp() throws Exception {
        Answer[] last = new Answer[1];
        try {
            await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .pollInSameThread().until(() -> {
                        try {
                            last[0] = http("GET", "/health", null, null);
                            return last[0].status() == 200 && last[0].body().contains("\"status\":\"UP\"");
                        } catch (IOException e) {
                            last[0] = new Answer(-1, e.toString());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            fail("health not UP: " + last[0]);
        }
        return last[0];
    }

    /** Waits (up to 30 s) until the local cell has joined: the cell service lists a cell. */
    private void awaitACell() {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .pollInSameThread().until(() -> !cells.list().isEmpty());
    }

    /**
     * The JAX-RS API bundle embeds its OSGi provider locator as a jar whose ZIP extra fields JDK 17.0.8+ refuses; the
     * distribution's JVM option (bin/setenv, and this test's vmOption) lets Felix open it.
     */
    @Test
    public void theJaxRsApiBundleOpensItsEmbeddedLocator() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        org.osgi.framework.Bundle api = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.apache.aries.javax.jax.rs-api".equals(b.getSymbolicName())).findFirst().orElseThrow();
        org.junit.Assert.assertNotNull(api.loadClass("org.apache.geronimo.osgi.locator.ProviderLocator"));
    }

    @Test
    public void featuresAreInstalled() throws Exception {
        for (String f : List.of("skiff-allinone", "skiff-core", "skiff-cell", "skiff-portal", "skiff-transport")) {
            assertTrue(f + " installed", features.isInstalled(features.getFeature(f)));
        }
    }

    @Test
    public void servicesWireAndTheLocalCellJoins() throws Exception {
        assertTrue(readiness.ready());
        assertTrue(auth.adminReady());
        assertEquals("skiff", transport.domain());
        assertEquals("itest-node", transport.localNode());
        awaitACell();
        Cell cell = cells.get("itest-node");
        assertFalse("joins unallocated", cell.allocated());
        assertTrue(cell.resources().cpuCount() > 0);
    }

    @Test
    public void taskEngineRunsTasksThroughTheStore() throws Exception {
        TaskStep step = TaskStep.of("record something", "itest.noop", context -> context.record("done", "yes"),
                context -> { });
        TaskInfo queued = engine.submit(new TaskRequest("itest.task", Set.of("itest:1"), "admin", List.of(step, step)));
        TaskInfo done = engine.completion(queued.id()).get(30, TimeUnit.SECONDS);
        assertEquals(TaskState.SUCCEEDED, done.state());
        assertEquals(100, done.progress());
        assertTrue(store.get("task", queued.id(), TaskInfo.class).isPresent());

        awaitHealthUp();
        Answer viaRest = http("GET", "/tasks/" + queued.id(), null, basic("admin", ADMIN_PASSWORD));
        assertEquals(200, viaRest.status());
        assertTrue(viaRest.body(), viaRest.body().contains("\"state\":\"SUCCEEDED\""));
    }

    /**
     * Lists answer in pages through REST: seven tasks walked three at a time with the cursor of each page (the
     * {@code X-Next-Cursor} and {@code Link} headers), each seen once, the count on request; a bad limit, sort,
     * cursor or filter is a 400 naming the field.
     */
    @Test
    public void listsAreAnsweredInPages() throws Exception {
        TaskStep step = TaskStep.of("nothing", "itest.noop", context -> { }, context -> { });
        Set<String> submitted = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            TaskInfo queued = engine.submit(new TaskRequest("itest.page", Set.of("itest:page-" + i), "admin",
                    List.of(step)));
            engine.completion(queued.id()).get(30, TimeUnit.SECONDS);
            submitted.add(queued.id());
        }
        awaitHealthUp();
        String admin = basic("admin", ADMIN_PASSWORD);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Answer page = http("GET", "/tasks?name=itest.page&limit=3&total=true"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, admin);
            assertEquals(page.body(), 200, page.status());
            assertEquals("7", page.header("X-Total-Count"));
            for (String id : submitted) {
                if (page.body().contains("\"id\":\"" + id + "\"")) {
                    seen.add(id);
                }
            }
            cursor = page.header("X-Next-Cursor");
            if (cursor != null) {
                String link = page.header("Link");
                assertTrue(link, link.contains("cursor=" + cursor) && link.endsWith("rel=\"next\""));
            }
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(7, seen.size());
        assertEquals(submitted, new HashSet<>(seen));

        // the operation log: five refused sign-ins walked two at a time are the whole list, in its order
        for (int i = 0; i < 5; i++) {
            assertEquals(401, http("POST", "/sessions", "{\"user\":\"itest-pager\",\"password\":\"no-" + i + "\"}",
                    null).status());
        }
        List<String> whole = entries(http("GET", "/operation-log?user=itest-pager", null, admin).body());
        assertEquals(whole.toString(), 5, whole.size());
        List<String> walked = new ArrayList<>();
        cursor = null;
        pages = 0;
        do {
            Answer page = http("GET", "/operation-log?user=itest-pager&limit=2&total=true"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, admin);
            assertEquals(page.body(), 200, page.status());
            assertEquals("5", page.header("X-Total-Count"));
            walked.addAll(entries(page.body()));
            cursor = page.header("X-Next-Cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(whole, walked);

        for (String bad : List.of("/tasks?limit=0", "/tasks?limit=1001", "/tasks?limit=ten", "/tasks?sort=colour", "/tasks?cursor=%25%25",
                "/tasks?state=sleeping", "/instances?state=sleeping", "/images?limit=-1",
                "/operation-log?limit=0", "/operation-log?sort=user", "/operation-log?cursor=bm90LW91cnM")) {
            Answer refused = http("GET", bad, null, admin);
            assertEquals(bad + ": " + refused.body(), 400, refused.status());
            String field = bad.replaceAll(".*\\?([a-z]+)=.*", "$1");
            assertTrue(bad + ": " + refused.body(), refused.body().contains("\"field\":\"" + field + "\""));
        }
        Answer instances = http("GET", "/instances?limit=5&total=true&sort=-createdAt", null, admin);
        assertEquals(instances.body(), 200, instances.status());
        assertEquals(Integer.toString(this.instances.list().size()), instances.header("X-Total-Count"));
        Answer openapi = http("GET", "/openapi.json", null, null);
        assertTrue("the paging parameters are described", openapi.body().contains("\"cursor\""));
    }

    /** The entries of a JSON array of flat objects (operation log entries), each as its text. */
    private static List<String> entries(String array) {
        List<String> entries = new ArrayList<>();
        Matcher m = Pattern.compile("\\{[^{}]*\\}").matcher(array);
        while (m.find()) {
            entries.add(m.group());
        }
        return entries;
    }

    /**
     * {@code GET /metrics} answers the Prometheus text format to a user with {@code metrics.read} (401 without one):
     * every sample line parses, and the Core's counts, the request durations, a finished task's and its step's
     * durations, the journal's fsync durations and the JVM's metrics are there.
     */
    @Test
    public void metricsAreScrapedInThePrometheusTextFormat() throws Exception {
        TaskInfo queued = engine.submit(new TaskRequest("itest.metrics", Set.of("itest:metrics"), "admin",
                List.of(TaskStep.of("nothing", "itest.noop", context -> { }, context -> { }))));
        engine.completion(queued.id()).get(30, TimeUnit.SECONDS);
        awaitHealthUp();
        awaitACell();
        String admin = basic("admin", ADMIN_PASSWORD);
        assertEquals(200, http("GET", "/pools", null, admin).status());
        assertEquals(401, http("GET", "/metrics", null, null).status());

        Answer scraped = http("GET", "/metrics", null, admin);
        assertEquals(scraped.body(), 200, scraped.status());
        String type = scraped.header("Content-Type");
        assertTrue(type, type.startsWith("text/plain") && type.contains("version=0.0.4"));
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*\\})? (\\S+)");
        Set<String> names = new HashSet<>();
        for (String line : scraped.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            assertTrue(line, m.matches());
            Double.parseDouble(m.group(3).replace("+Inf", "Infinity"));
            names.add(m.group(1));
        }
        for (String name : List.of("skiff_cells", "skiff_tasks", "skiff_cell_cpus", "skiff_cell_memory_total_bytes",
                "skiff_http_request_duration_seconds_bucket", "skiff_task_duration_seconds_count",
                "skiff_task_steps_at_work", "skiff_task_step_duration_seconds_bucket",
                "skiff_journal_sync_duration_seconds_count", "jvm_memory_used_bytes", "jvm_threads_current")) {
            assertTrue(name + " in " + names, names.contains(name));
        }
        String body = scraped.body();
        assertTrue(body, body.contains("skiff_cells{status=\"online\"} 1.0"));
        assertTrue(body, body.contains("skiff_task_duration_seconds_count{name=\"itest.metrics\",state=\"succeeded\"} 1"));
        assertTrue(body, body.contains("skiff_task_step_duration_seconds_count{kind=\"itest.noop\",outcome=\"applied\"}"));
        assertTrue(body, body.contains("skiff_journal_sync_duration_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(body, body.contains("method=\"GET\",route=\"/pools\",status=\"200\""));
        // refused before it was matched to an operation (authentication first)
        assertTrue(body, body.contains("method=\"GET\",route=\"unmatched\",status=\"401\""));
    }

    /**
     * A rollback that cannot finish ends ROLLBACK_FAILED, is listed by REST and the shell, and an operator retries it
     * over REST once the cause is gone. The step's undo is one object: the live step during the first rollback, the
     * undo handler of its kind (as after a restart) during the retry.
     */
    @Test
    public void aRollbackThatFailsIsListedAndRetried() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean fixed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger undone = new java.util.concurrent.atomic.AtomicInteger();
        class StubbornStep implements TaskStep, io.skiff.api.task.UndoHandler {
            @Override
            public String name() {
                return "take something";
            }

            @Override
            public String kind() {
                return "itest.stubborn";
            }

            @Override
            public void apply(StepContext context) {
                context.record("taken", "yes");
                throw new IllegalStateException("the next step is not there");
            }

            @Override
            public void undo(StepContext context) {
                if (!fixed.get()) {
                    throw new IllegalStateException("refused to give it back");
                }
                undone.incrementAndGet();
            }
        }
        StubbornStep step = new StubbornStep();
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        org.osgi.framework.ServiceRegistration<io.skiff.api.task.UndoHandler> handler =
                context.registerService(io.skiff.api.task.UndoHandler.class, step, null);
        try {
            TaskInfo queued = engine.submit(new TaskRequest("itest.stubborn", Set.of("itest:stubborn"), "admin",
                    List.of(step)));
            TaskInfo failed = engine.completion(queued.id()).get(60, TimeUnit.SECONDS);
            assertEquals(TaskState.ROLLBACK_FAILED, failed.state());
            assertTrue(failed.error(), failed.error().contains("left in place: step 1 'take something' {taken=yes}"));

            awaitHealthUp();
            String admin = basic("admin", ADMIN_PASSWORD);
            Answer listed = http("GET", "/tasks?state=rollback_failed", null, admin);
            assertEquals(200, listed.status());
            assertTrue(listed.body(), listed.body().contains(queued.id()));
            assertTrue(executeCommand("skiff:task-list --state rollback_failed").contains(queued.id()));

            fixed.set(true);
            Answer retried = http("POST", "/tasks/" + queued.id() + "/retry-rollback", null, admin);
            assertEquals(retried.body(), 202, retried.status());
            assertTrue(retried.body(), retried.body().contains("\"state\":\"ROLLING_BACK\""));
            TaskInfo done = engine.completion(queued.id()).get(60, TimeUnit.SECONDS);
            assertEquals(TaskState.FAILED, done.state());
            assertEquals(1, undone.get());
            Answer again = http("POST", "/tasks/" + queued.id() + "/retry-rollback", null, admin);
            assertEquals(409, again.status());
            assertTrue(again.body(), again.body().contains("\"field\":\"state\""));
        } finally {
            handler.unregister();
        }
    }

    @Test
    public void restAnswersWithAndWithoutCredentials() throws Exception {
        Answer health = awaitHealthUp();
        assertTrue(health.body(), health.body().contains("\"node\":\"itest-node\""));

        Answer anonymous = http("GET", "/pools", null, null);
        assertEquals(401, anonymous.status());
        assertTrue(anonymous.body(), anonymous.body().contains("\"code\":\"unauthenticated\""));
        assertEquals(401, http("GET", "/pools", null, basic("admin", "wrong")).status());

        String admin = basic("admin", ADMIN_PASSWORD);
        assertEquals(200, http("GET", "/pools", null, admin).status());
        Answer created = http("POST", "/pools", "{\"name\":\"rest-pool\",\"description\":\"from REST\"}", admin);
        assertEquals(created.body(), 201, created.status());
        Answer duplicate = http("POST", "/pools", "{\"name\":\"rest-pool\"}", admin);
        assertEquals(409, duplicate.status());
        assertTrue(duplicate.body(), duplicate.body().contains("\"field\":\"name\""));
        Answer unknown = http("POST", "/pools", "{\"name\":\"p2\",\"colour\":\"red\"}", admin);
        assertEquals(400, unknown.status());
        assertTrue(unknown.body(), unknown.body().contains("\"field\":\"colour\""));
        assertEquals(400, http("POST", "/pools", "{\"name\":", admin).status());
        assertEquals(404, http("POST", "/cells/itest-node/add-to-pool", "{\"pool\":\"missing\"}", admin).status());
        assertFalse("nothing changed", pools.list().stream().anyMatch(p -> p.name().equals("p2")));

        Answer session = http("POST", "/sessions", "{\"user\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}", null);
        assertEquals(session.body(), 201, session.status());
        String token = session.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertEquals(200, http("GET", "/cells", null, "Bearer " + token).status());
        assertEquals(204, http("DELETE", "/sessions", null, "Bearer " + token).status());
        assertEquals(401, http("GET", "/cells", null, "Bearer " + token).status());

        Answer openapi = http("GET", "/openapi.json", null, null);
        assertEquals(200, openapi.status());
        for (String path : List.of("/pools", "/pools/{name}", "/cells/{id}/add-to-pool", "/tasks/{id}", "/health")) {
            assertTrue(path, openapi.body().contains("\"" + path + "\""));
        }
    }

    /**
     * Authentication first: every operation of the API but the public ones (health, the OpenAPI document, sign-in)
     * answers {@code 401} to no credentials, a wrong password, a made-up bearer token and a token signed out, before
     * anything else — not {@code 404} for an unknown id, {@code 415} for a body of the wrong type, {@code 400} for
     * a bad parameter. The operations are the whiteboard's (every one of them is in the OpenAPI document).
     */
    @Test
    public void everyOperationAsksForCredentialsFirst() throws Exception {
        awaitHealthUp();
        Answer session = http("POST", "/sessions", "{\"user\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}", null);
        String spent = session.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        assertEquals(204, http("DELETE", "/sessions", null, "Bearer " + spent).status());
        Map<String, String> credentials = new java.util.LinkedHashMap<>();
        credentials.put("none", null);
        credentials.put("wrong password", basic("admin", "wrong"));
        credentials.put("made-up token", "Bearer not-a-token-anyone-gave-out");
        credentials.put("signed-out token", "Bearer " + spent);
        String openapi = http("GET", "/openapi.json", null, null).body();
        ApplicationDTO app = Arrays.stream(whiteboard.getRuntimeDTO().applicationDTOs)
                .filter(a -> "skiff".equals(a.name)).findFirst().orElseThrow();
        Set<String> public_ = Set.of("GET /health", "GET /openapi.json", "POST /sessions");
        List<String> walked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (ResourceDTO r : app.resourceDTOs) {
            for (ResourceMethodInfoDTO m : r.resourceMethods == null ? new ResourceMethodInfoDTO[0] : r.resourceMethods) {
                if (m.method == null || m.path == null) {
                    continue; // a sub-resource locator, none in Skiff today
                }
                String template = m.path.startsWith("/") ? m.path : "/" + m.path;
                if (public_.contains(m.method + " " + template)) {
                    continue;
                }
                assertTrue(template + " in the OpenAPI document", openapi.contains("\"" + template + "\""));
                String path = template.replaceAll("\\{[^}]+}", "no-such-thing");
                // a JSON body also where the operation takes another type: the 415 must not come first
                String body = Set.of("POST", "PUT", "PATCH").contains(m.method) ? "{}" : null;
                for (Map.Entry<String, String> c : credentials.entrySet()) {
                    Answer a = http(m.method, path, body, c.getValue());
                    if (a.status() != 401 || !a.body().contains("\"code\":\"unauthenticated\"")) {
                        wrong.add(m.method + " " + template + " with " + c.getKey() + ": " + a.status() + " " + a.body());
                    }
                }
                walked.add(m.method + " " + template);
            }
        }
        assertTrue("operations walked: " + walked.size(), walked.size() > 100);
        assertTrue("answered other than 401:\n" + String.join("\n", wrong), wrong.isEmpty());

        // every answer of the API, a refusal as well as a list, is kept by no cache, sniffed by no browser, framed by
        // no page
        for (Answer a : List.of(http("GET", "/pools", null, null), http("GET", "/pools", null,
                basic("admin", ADMIN_PASSWORD)), http("GET", "/health", null, null))) {
            assertEquals(a.toString(), "no-store", a.header("Cache-Control"));
            assertEquals(a.toString(), "nosniff", a.header("X-Content-Type-Options"));
            assertEquals(a.toString(), "default-src 'none'; frame-ancestors 'none'", a.header("Content-Security-Policy"));
        }
    }

    /**
     * Once health says UP, every resource component of the REST bundle is bound in the whiteboard's Skiff
     * application, and every parameterless GET of every resource answers at once: no CXF 404 "No service was
     * found", no 500.
     */
    @Test
    public void healthIsUpOnlyWithEveryResourceAnswering() throws Exception {
        Answer health = awaitHealthUp();
        assertFalse(health.body(), health.body().contains("\"missing\""));
        assertTrue(health.body(), health.body().contains("\"rest\":\"ready\""));

        ApplicationDTO app = Arrays.stream(whiteboard.getRuntimeDTO().applicationDTOs)
                .filter(a -> "skiff".equals(a.name)).findFirst().orElseThrow();
        TreeSet<String> bound = new TreeSet<>();
        for (ResourceDTO r : app.resourceDTOs) {
            bound.add(String.valueOf(r.serviceId));
        }
        BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
        Bundle rest = Arrays.stream(context.getBundles())
                .filter(b -> "skiff-rest".equals(b.getSymbolicName())).findFirst().orElseThrow();
        int resources = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(rest)) {
            if (!"true".equals(String.valueOf(d.properties.get("osgi.jaxrs.resource")))) {
                continue;
            }
            resources++;
            var refs = context.getServiceReferences((String) null, "(component.name=" + d.name + ")");
            assertTrue(d.name + " registered", refs != null && refs.length == 1);
            assertTrue(d.name + " bound by the whiteboard", bound.contains(String.valueOf(refs[0].getProperty("service.id"))));
        }
        assertTrue("the REST bundle has its resources: " + resources, resources >= 10);

        String admin = basic("admin", ADMIN_PASSWORD);
        TreeSet<String> paths = new TreeSet<>();
        for (ResourceDTO r : app.resourceDTOs) {
            for (ResourceMethodInfoDTO m : r.resourceMethods == null ? new ResourceMethodInfoDTO[0] : r.resourceMethods) {
                if ("GET".equals(m.method) && m.path != null && !m.path.contains("{")) {
                    paths.add(m.path.startsWith("/") ? m.path : "/" + m.path);
                }
            }
        }
        assertTrue("GET paths found: " + paths, paths.contains("/pools") && paths.contains("/health"));
        for (String path : paths) {
            Answer a = http("GET", path, null, admin);
            assertTrue(path + " answers: " + a, a.status() != 404 && a.status() != 500);
        }
    }

    @Test
    public void shellCommandsRun() throws Exception {
        String created = executeCommand("skiff:pool-create --description \"made in the shell\" shell-pool");
        assertTrue(created, created.contains("shell-pool created"));
        String list = executeCommand("skiff:pool-list");
        assertTrue(list, list.contains("shell-pool") && list.contains("made in the shell"));
        assertTrue(executeCommand("skiff:pool-create shell-pool").contains("already exists"));
        assertTrue(executeCommand("skiff:pool-create 'bad name'").contains("may contain only"));

        awaitACell();
        String added = executeCommand("skiff:cell-add itest-node shell-pool");
        assertTrue(added, added.contains("added to pool shell-pool"));
        String cellList = executeCommand("skiff:cell-list");
        assertTrue(cellList, cellList.contains("itest-node") && cellList.contains("shell-pool")
                && cellList.contains("online"));
        assertTrue(executeCommand("skiff:pool-delete shell-pool").contains("still has cells"));
        assertTrue(executeCommand("skiff:cell-disable itest-node").contains("disabled"));
        assertTrue(executeCommand("skiff:cell-enable itest-node").contains("enabled"));
        assertTrue(executeCommand("skiff:cell-remove itest-node").contains("(unallocated)"));
        assertTrue(executeCommand("skiff:pool-delete shell-pool").contains("deleted"));
        assertTrue(executeCommand("skiff:task-list").contains("Progress"));
        String missing = executeCommand("skiff:instance-stop --force nothing-here");
        assertTrue(missing, missing.contains("instance 'nothing-here' does not exist"));
        String noPool = executeCommand("skiff:instance-create --pool nope --memory 64 --disk 1 vm-x");
        assertTrue(noPool, noPool.contains("compute pool 'nope' does not exist"));
        assertTrue(executeCommand("skiff:instance-list").contains("Profile"));
        assertTrue(executeCommand("skiff:instance-list --state running --pool nope --limit 5").contains("Profile"));
        String badState = executeCommand("skiff:instance-list --state sleeping");
        assertTrue(badState, badState.contains("state must be one of"));
    }
}
