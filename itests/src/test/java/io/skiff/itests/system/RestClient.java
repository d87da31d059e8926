package io.skiff.itests.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small client of the Skiff REST API for tests: real HTTP on loopback. */
public final class RestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    public record Answer(int status, JsonNode body, String text) {
    }

    public RestClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port + "/api/v1";
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private RestClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A client that sends a bearer token from {@code POST /sessions}. */
    public static RestClient bearer(int port, String token) {
        return new RestClient("http://127.0.0.1:" + port + "/api/v1", "Bearer " + token);
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json);
    }

    public Answer put(String path, String json) {
        return send("PUT", path, json);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    public Answer send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (r.body() != null && !r.body().isBlank()) {
                try {
                    body = MAPPER.readTree(r.body());
                } catch (IOException e) {
                    body = null;
                }
            }
            return new Answer(r.statusCode(), body, r.body());
        } catch (IOException e) {
            return new Answer(-1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, e.toString());
        }
    }
}
