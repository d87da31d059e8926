package io.skiff.itests.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiff.itests.system.RestClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The instance calls the VM system tests make through the REST API, and waiting for their outcome (also used by the
 * multi-host tests).
 */
public final class InstanceApi {
    private final RestClient api;
    private final Supplier<String> diagnostics;

    /**
     * @param api a client signed in as an admin
     * @param diagnostics what to show when a wait times out (e.g. the tail of karaf.log)
     */
    public InstanceApi(RestClient api, Supplier<String> diagnostics) {
        this.api = api;
        this.diagnostics = diagnostics;
    }

    public interface Check {
        boolean ok() throws Exception;
    }

    /** Creates an instance of 1 core and 256 MiB from an image; returns the create task's id. */
    public String create(String name, String pool, String imageId) {
        RestClient.Answer created = api.post("/instances", "{\"name\":\"" + name + "\",\"poolId\":\"" + pool
                + "\",\"cores\":1,\"memoryBytes\":268435456,\"disks\":[{\"imageId\":\"" + imageId
                + "\"}],\"profile\":\"linux-virtio\"}");
        assertEquals(202, created.status(), created.text());
        return created.body().path("id").asText();
    }

    /** Waits until a task has ended (succeeded, failed, or its rollback failed); returns it. */
    public JsonNode awaitTask(String taskId, Duration timeout) throws Exception {
        return awaitTask(taskId, timeout, t -> t.path("state").asText().equals("SUCCEEDED")
                || t.path("state").asText().equals("FAILED") || t.path("state").asText().equals("ROLLBACK_FAILED"));
    }

    /** Waits until {@code reached} holds for a task as {@code GET /tasks/{id}} shows it; returns it. */
    public JsonNode awaitTask(String taskId, Duration timeout, Predicate<JsonNode> reached) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await("task " + taskId + " as expected", () -> {
            RestClient.Answer t = api.get("/tasks/" + taskId);
            last[0] = t.body();
            return t.status() == 200 && reached.test(t.body());
        }, timeout);
        return last[0];
    }

    /** Asserts that {@code accepted} is a 202 with a task and waits (up to 5 minutes) for that task to succeed. */
    public JsonNode succeeded(RestClient.Answer accepted) throws Exception {
        assertEquals(202, accepted.status(), accepted.text());
        JsonNode task = awaitTask(accepted.body().path("id").asText(), Duration.ofMinutes(5));
        assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
        return task;
    }

    public JsonNode instance(String name) {
        RestClient.Answer a = api.get("/instances/" + name);
        assertEquals(200, a.status(), a.text());
        return a.body();
    }

    /** Polls {@code check} every 500 ms until it holds; fails with the diagnostics when {@code timeout} is over. */
    public void await(String what, Check check, Duration timeout) throws Exception {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .pollInSameThread().until(check::ok);
        } catch (ConditionTimeoutException e) {
            fail(what + ": not within " + timeout + "\n" + diagnostics.get());
        }
    }

    public static String tail(String log) {
        return log.length() > 8000 ? log.substring(log.length() - 8000) : log;
    }
}
