package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterTransport.Registration;
import io.skiff.api.transport.RemoteException;

/**
 * A rolling upgrade: node {@code new} (this transport, requests through JGroups' MessageDispatcher) and node
 * {@code old} (the previous transport's wire behaviour: plain envelopes correlated by id/corr) in one domain on
 * 127.0.0.1, ports 27960-27965. Requests, replies, errors and events cross in both directions.
 */
class PreviousTransportTest {
    private static final long WAIT_S = 10;

    record Text(String text) {
    }

    @TempDir
    static Path dir;
    static TestNodes nodes;
    static JGroupsTransport neu;
    static PreviousTransportNode old;

    @BeforeAll
    static void startDomain() throws Exception {
        nodes = new TestNodes(27960, dir.resolve("cluster.key"));
        neu = nodes.start("new");
        old = new PreviousTransportNode(nodes, "old");
        TestNodes.awaitMembers(2, neu);
    }

    @AfterAll
    static void stopDomain() {
        old.close();
        nodes.close();
    }

    @Test
    void requestOfAnOldNodeGetsAPlainReply() throws Exception {
        try (Registration r = neu.subscribe("test.old-asks", m -> new Text("hello " + m.body(Text.class).text()
                + " from " + m.from()))) {
            Envelope reply = old.request("new", "test.old-asks", new Text("old")).get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(Envelope.Kind.REPLY, reply.kind());
            assertEquals(Skiff.MESSAGE_VERSION, reply.v());
            assertEquals(new Text("hello old from old"), old.body(reply, Text.class));
            PreviousTransportNode.Received received = old.replies.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(received);
            assertEquals("new", received.from());
            assertFalse(received.correlatorHeader(), "the answer to a plain request is a plain message");
        }
    }

    @Test
    void requestOfAnOldNodeWithoutHandlerGetsNotReady() throws Exception {
        Envelope reply = old.request("new", "test.nobody-new", null).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(Envelope.Kind.ERROR, reply.kind());
        Envelope.ErrorBody error = old.body(reply, Envelope.ErrorBody.class);
        assertEquals(JGroupsTransport.NOT_READY, error.code());
        assertEquals("UNAVAILABLE", error.kind());
        assertTrue(error.message().contains("no handler for test.nobody-new"), error.message());
    }

    @Test
    void plainReplyOfAnOldNodeAnswersARequest() throws Exception {
        old.answer("test.new-asks", body -> new Text("old saw " + body.get("text").asText()));
        Text reply = neu.request("old", "test.new-asks", new Text("new"), Text.class, Duration.ofSeconds(WAIT_S))
                .get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(new Text("old saw new"), reply);
        PreviousTransportNode.Received request = poll(old.requests, "test.new-asks");
        // the old node read the envelope and ignored the dispatcher's header
        assertTrue(request.correlatorHeader());
        assertEquals(Envelope.Kind.REQUEST, request.envelope().kind());
    }

    @Test
    void errorReplyOfAnOldNodeKeepsKindCodeAndField() {
        old.fail("test.new-fails", body -> new Envelope.ErrorBody("conflict", "instance web-1 already exists",
                "CONFLICT", "name"));
        ExecutionException ex = assertThrows(ExecutionException.class, () -> neu.request("old", "test.new-fails",
                null, Text.class, Duration.ofMinutes(5)).get(WAIT_S, TimeUnit.SECONDS));
        RemoteException remote = assertInstanceOf(RemoteException.class, ex.getCause());
        assertEquals("old", remote.node());
        assertEquals(SkiffException.Kind.CONFLICT, remote.kind());
        assertEquals("conflict", remote.code());
        assertEquals("name", remote.field());
        assertEquals("instance web-1 already exists", remote.remoteMessage());
    }

    @Test
    void eventsCrossBothWays() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (Registration r = neu.subscribe("test.old-event", m -> {
            got.add(m.from() + ": " + m.body(Text.class).text());
            return null;
        })) {
            old.event(null, "test.old-event", new Text("to everyone"));
            old.event("new", "test.old-event", new Text("to new"));
            // a multicast and a unicast are ordered each on its own, not with each other
            Set<String> both = new HashSet<>();
            both.add(got.poll(WAIT_S, TimeUnit.SECONDS));
            both.add(got.poll(WAIT_S, TimeUnit.SECONDS));
            assertEquals(Set.of("old: to everyone", "old: to new"), both);
        }
        neu.send("old", "test.new-event", new Text("plain"));
        PreviousTransportNode.Received event = poll(old.events, "test.new-event");
        assertEquals("new", event.from());
        assertEquals(new Text("plain"), old.body(event.envelope(), Text.class));
        assertFalse(event.correlatorHeader(), "events stay plain messages");
    }

    /** The next message of {@code type} in {@code queue} (the old node also gets its own published events). */
    private static PreviousTransportNode.Received poll(BlockingQueue<PreviousTransportNode.Received> queue,
                                                       String type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < end) {
            PreviousTransportNode.Received r = queue.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && r.envelope().type().equals(type)) {
                return r;
            }
        }
        throw new AssertionError("no " + type + " within " + WAIT_S + " s");
    }
}
