package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * REST calls of the benchmarks against a started distribution, as the admin with one bearer token
 * ({@code POST /api/v1/sessions}), on 127.0.0.1. One {@link HttpClient}: concurrent callers each get a connection
 * of its pool, so N client threads are N HTTP connections.
 */
final class RestSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The header of a list answer with {@code total=true} that holds the count of all matching items. */
    static final String TOTAL_COUNT = "X-Total-Count";

    /** Latencies of one kind of call, in milliseconds; {@code bytes} is the size of (the last) answer. */
    record Timing(String what, int calls, double seconds, List<Double> millis, long bytes) {
        double percentile(double p) {
            if (millis.isEmpty()) {
                return 0;
            }
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1,
                    (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
        }

        double callsPerSecond() {
            return seconds == 0 ? 0 : calls / seconds;
        }

        /** Prints timings as one table: calls, calls/s, p50/p99/max ms and the answer's size. */
        static void print(List<Timing> timings, PrintStream out) {
            out.printf(Locale.ROOT, "%-54s %6s %9s %8s %8s %8s %10s%n", "REST call", "calls", "calls/s", "p50 ms",
                    "p99 ms", "max ms", "answer KiB");
            for (Timing t : timings) {
                out.printf(Locale.ROOT, "%-54s %6d %9.1f %8.2f %8.2f %8.2f %10.1f%n", t.what(), t.calls(),
                        t.callsPerSecond(), t.percentile(50), t.percentile(99), t.percentile(100),
                        t.bytes() / 1024.0);
            }
        }
    }

    /** An answer of any status. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    RestSession(int port, String password) throws IOException, InterruptedException {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("user", "admin",
                        "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("no session: " + created.statusCode() + " " + created.body());
        }
        JsonNode body = JSON.readTree(created.body());
        this.token = body.path("token").asText();
    }

    /** @return the answer's size; fails on anything but 200 */
    long get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer.body().length;
    }

    /** The answer's JSON; fails on anything but 200. */
    JsonNode getJson(String path) throws IOException, InterruptedException {
        Answer answer = send("GET", path, null);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET " + path + ": " + answer.status() + " " + answer.body());
        }
        return answer.json();
    }

    /** The count of all items a list matches: {@code path} must ask {@code total=true}. */
    long count(String path) throws IOException, InterruptedException {
        Answer answer = send("GET", path, null);
        List<String> total = answer.headers().get(TOTAL_COUNT);
        if (answer.status() != 200 || total == null || total.isEmpty()) {
            throw new IllegalStateException("GET " + path + ": " + answer.status() + " without " + TOTAL_COUNT
                    + ": " + answer.body());
        }
        return Long.parseLong(total.get(0));
    }

    /** POSTs {@code body} as JSON; fails unless the answer has status {@code expected}. */
    Answer post(String path, Object body, int expected) throws IOException, InterruptedException {
        Answer answer = send("POST", path, body);
        if (answer.status() != expected) {
            throw new IllegalStateException("POST " + path + ": " + answer.status() + " " + answer.body());
        }
        return answer;
    }

    /** One call; {@code body} (for POST and PUT) is written as JSON. Any status is answered. */
    Answer send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> answer = http.send(request(path).header("Content-Type", "application/json")
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(answer.statusCode(), answer.body(), answer.headers().map());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120));
    }

    /**
     * The lists both REST benchmarks time: {@code GET /instances?limit=100} from {@code clients} concurrent clients
     * ({@code calls} each), then one after the other the whole list, a counted page, a page of tasks, the cells (when
     * {@code withCells}) and the metrics.
     */
    List<Timing> lists(int clients, int calls, int sequentialCalls, boolean withCells) throws Exception {
        List<Timing> timings = new ArrayList<>();
        timings.add(concurrent("GET /instances?limit=100", "/instances?limit=100", clients, calls));
        timings.add(sequential("GET /instances (all)", "/instances", Math.max(3, sequentialCalls / 4)));
        timings.add(sequential("GET /instances?limit=100&total=true", "/instances?limit=100&total=true",
                sequentialCalls));
        timings.add(sequential("GET /tasks?limit=100", "/tasks?limit=100", sequentialCalls));
        if (withCells) {
            timings.add(sequential("GET /cells", "/cells", sequentialCalls));
        }
        timings.add(sequential("GET /metrics", "/metrics", sequentialCalls));
        return timings;
    }

    Timing sequential(String what, String path, int calls) throws IOException, InterruptedException {
        get(path); // warm-up
        List<Double> millis = new ArrayList<>();
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            bytes = get(path);
            millis.add((System.nanoTime() - t) / 1e6);
        }
        return new Timing(what, calls, (System.nanoTime() - start) / 1e9, millis, bytes);
    }

    /** {@code GET path} from {@code clients} threads at once, {@code callsEach} calls each. */
    Timing concurrent(String what, String path, int clients, int callsEach) throws Exception {
        return concurrent(what + ", " + clients + " clients", path, clients, i -> i < callsEach);
    }

    /** {@code GET path} from {@code clients} threads at once, each calling until {@code running} says no more. */
    Timing concurrentWhile(String what, String path, int clients, BooleanSupplier running) throws Exception {
        return concurrent(what + ", " + clients + " clients", path, clients, i -> running.getAsBoolean());
    }

    /** Each client calls while {@code more} accepts the number of calls it has made. */
    private Timing concurrent(String what, String path, int clients, IntPredicate more) throws Exception {
        for (int i = 0; i < 5; i++) {
            get(path); // warm-up
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        long[] bytes = new long[1];
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; more.test(i); i++) {
                        long t = System.nanoTime();
                        bytes[0] = get(path);
                        millis.add((System.nanoTime() - t) / 1e6);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Timing(what, millis.size(), (System.nanoTime() - start) / 1e9, millis, bytes[0]);
    }
}
