package io.skiff.guestinit.internal;

import io.skiff.api.cell.CellFailure;
import io.skiff.api.cell.CellReplies;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.GuestAgentReply;
import io.skiff.api.cell.GuestAgentRequest;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * QEMU guest agent commands for a running instance, sent to its cell ({@value CellProtocol#GUEST_AGENT}) over the
 * cluster transport; the cell passes them to the agent's channel and answers the agent's JSON reply. A guest without
 * an agent, or an agent that refuses, is a {@code CONFLICT} on {@code guestAgent} (the guest's state, not an outage);
 * a cell that cannot be reached or does not answer in time is {@code UNAVAILABLE}, as for every call to a cell.
 */
final class GuestAgentChannel {
    /** How long the cell waits for the agent's answer to one command. */
    static final int AGENT_TIMEOUT_SECONDS = 30;
    /** How long a guest-exec'd command may run before the Core gives up waiting for its exit status. */
    static final long EXEC_TIMEOUT_MILLIS = 30_000;
    private static final long EXEC_POLL_MILLIS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterTransport transport;
    private final Duration cellTimeout;

    /** @param cellTimeout how long to wait for the cell's answer */
    GuestAgentChannel(ClusterTransport transport, Duration cellTimeout) {
        this.transport = transport;
        this.cellTimeout = cellTimeout;
    }

    /** @return the agent's reply (JSON) to one command */
    String command(InstanceStatus instance, Map<String, Object> command) {
        String cell = instance.cellId();
        String type = CellProtocol.GUEST_AGENT;
        try {
            GuestAgentRequest request = new GuestAgentRequest(instance.id(), JSON.writeValueAsString(command),
                    AGENT_TIMEOUT_SECONDS);
            return CellReplies.await(transport.request(cell, type, request, GuestAgentReply.class, cellTimeout),
                    cell, type, cellTimeout).reply();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (CellFailure failure) {
            if ("no-guest-agent".equals(failure.code()) || "guest-agent-failed".equals(failure.code())) {
                // the guest runs no agent, or its agent refused the command: a conflict with the guest's state,
                // not an outage
                throw SkiffException.conflict("guestAgent", failure.cellMessage());
            }
            throw failure;
        }
    }

    /**
     * Runs a program in the guest through the agent's {@code guest-exec} (which only starts it and answers its pid)
     * and polls {@code guest-exec-status} until it has exited: a non-zero exit is a {@code CONFLICT} on
     * {@code guestAgent} with the program's error output, not a silent success.
     *
     * @param what what the program does, for the errors (e.g. {@code set its host name})
     */
    void exec(InstanceStatus instance, String path, List<String> args, String what) {
        String started = command(instance, Map.of("execute", "guest-exec", "arguments", Map.of("path", path, "arg",
                args, "capture-output", true)));
        long pid = returned(started).path("pid").asLong(-1);
        String name = instance.spec().name();
        if (pid < 0) {
            throw SkiffException.conflict("guestAgent", "the guest agent of instance '" + name
                    + "' did not start the command: " + started);
        }
        long deadline = System.currentTimeMillis() + EXEC_TIMEOUT_MILLIS;
        while (true) {
            JsonNode status = returned(command(instance, Map.of("execute", "guest-exec-status", "arguments",
                    Map.of("pid", pid))));
            if (status.path("exited").asBoolean(false)) {
                String problem = execProblem(status);
                if (problem != null) {
                    throw SkiffException.conflict("guestAgent", "the guest of instance '" + name + "' could not "
                            + what + " (" + path + " " + problem + ")");
                }
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw SkiffException.conflict("guestAgent", "the guest of instance '" + name + "' did not finish the "
                        + "command to " + what + " within " + EXEC_TIMEOUT_MILLIS / 1000 + " s");
            }
            try {
                // the agent has no way to wait for an exit: guest-exec-status answers at once
                Thread.sleep(EXEC_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SkiffException.unavailable("interrupted while waiting for the guest agent");
            }
        }
    }

    /**
     * @param status the {@code return} of {@code guest-exec-status} for an exited process
     * @return null when it exited with 0, else "exited with N: its error output" (or "killed by signal N")
     */
    static String execProblem(JsonNode status) {
        if (!status.has("exitcode") && status.has("signal")) {
            return "killed by signal " + status.path("signal").asInt();
        }
        int code = status.path("exitcode").asInt(-1);
        if (code == 0) {
            return null;
        }
        String err = decode(status.path("err-data").asText("")).strip();
        if (err.isEmpty()) {
            err = decode(status.path("out-data").asText("")).strip();
        }
        return "exited with " + code + (err.isEmpty() ? "" : ": " + (err.length() > 300 ? err.substring(0, 300) + "..."
                : err));
    }

    private static JsonNode returned(String reply) {
        try {
            return JSON.readTree(reply == null ? "{}" : reply).path("return");
        } catch (JsonProcessingException e) {
            throw SkiffException.unavailable("the guest agent answered something that is not JSON");
        }
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
