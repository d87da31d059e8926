package io.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.system.RestClient;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The few REST calls the benchmarks on the multi-host test bed make, failing with what the Core answered: no JUnit on
 * the benchmarks' class path, so not the itests' {@code InstanceApi}.
 */
final class BedApi {
    private final RestClient api;

    BedApi(RestClient api) {
        this.api = api;
    }

    RestClient rest() {
        return api;
    }

    JsonNode instance(String name) {
        RestClient.Answer a = api.get("/instances/" + name);
        check(a, 200);
        return a.body();
    }

    /** Asserts a 202 with a task and waits for that task to succeed; @return the task */
    JsonNode succeed(RestClient.Answer accepted, Duration timeout) {
        check(accepted, 202);
        String task = accepted.body().path("id").asText();
        JsonNode[] last = new JsonNode[1];
        await("task " + task).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    last[0] = api.get("/tasks/" + task).body();
                    String state = last[0].path("state").asText();
                    return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("ROLLBACK_FAILED");
                });
        if (!last[0].path("state").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("task failed: " + last[0]);
        }
        return last[0];
    }

    static RestClient.Answer check(RestClient.Answer a, int status) {
        if (a.status() != status) {
            throw new IllegalStateException("expected HTTP " + status + ", got " + a.status() + ": " + a.text());
        }
        return a;
    }
}
