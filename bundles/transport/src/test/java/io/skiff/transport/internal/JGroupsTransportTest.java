package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport.Registration;
import io.skiff.api.transport.Message;

/** Three real JGroups nodes (a, b, c) of one domain on 127.0.0.1, ports 27900-27905. */
class JGroupsTransportTest {
    private static final long WAIT_S = 10;

    record Sum(int a, int b) {
    }

    record Result(int value, String by, Instant at) {
    }

    record Received(String node, String from, int version, String text) {
    }

    record Text(String text) {
    }

    @TempDir
    static Path dir;
    static TestNodes nodes;
    static JGroupsTransport a;
    static JGroupsTransport b;
    static JGroupsTransport c;

    @BeforeAll
    static void startDomain() throws Exception {
        nodes = new TestNodes(27900, dir.resolve("cluster.key"));
        a = nodes.start("a");
        b = nodes.start("b");
        c = nodes.start("c");
        TestNodes.awaitMembers(3, a, b, c);
    }

    @AfterAll
    static void stopDomain() {
        nodes.close();
    }

    @Test
    void threeNodesFormOneDomain() {
        for (JGroupsTransport t : List.of(a, b, c)) {
            assertEquals(nodes.domain(), t.domain());
            assertEquals(Set.of("a", "b", "c"), t.members().stream().map(ClusterMember::node).collect(java.util.stream.Collectors.toSet()));
            List<ClusterMember> local = t.members().stream().filter(ClusterMember::local).toList();
            assertEquals(List.of(t.localNode()), local.stream().map(ClusterMember::node).toList());
            for (ClusterMember m : t.members()) {
                assertTrue(m.address().startsWith("127.0.0.1:"), m.toString());
            }
        }
    }

    @Test
    void publishReachesEveryNodeIncludingTheSender() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        List<Registration> regs = List.of(
                a.subscribe("test.publish", m -> record(got, "a", m)),
                b.subscribe("test.publish", m -> record(got, "b", m)),
                c.subscribe("test.publish", m -> record(got, "c", m)));
        try {
            a.publish("test.publish", new Text("hello"));
            Set<String> receivers = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                Received r = got.poll(WAIT_S, TimeUnit.SECONDS);
                assertTrue(r != null, "only " + receivers + " received the event");
                assertEquals("a", r.from());
                assertEquals("hello", r.text());
                assertEquals(Skiff.MESSAGE_VERSION, r.version());
                receivers.add(r.node());
            }
            assertEquals(Set.of("a", "b", "c"), receivers);
        } finally {
            regs.forEach(Registration::close);
        }
    }

    @Test
    void sendReachesOnlyTheNamedNode() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        List<Registration> regs = List.of(
                b.subscribe("test.send", m -> record(got, "b", m)),
                c.subscribe("test.send", m -> record(got, "c", m)));
        try {
            a.send("c", "test.send", new Text("only c"));
            Received r = got.poll(WAIT_S, TimeUnit.SECONDS);
            assertEquals(new Received("c", "a", Skiff.MESSAGE_VERSION, "only c"), r);
            assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        } finally {
            regs.forEach(Registration::close);
        }
    }

    @Test
    void eventsOfOneSenderArriveInOrder() throws Exception {
        BlockingQueue<Integer> got = new LinkedBlockingQueue<>();
        try (Registration r = b.subscribe("test.order", m -> {
            got.add(m.body(Sum.class).a());
            return null;
        })) {
            for (int i = 0; i < 50; i++) {
                a.send("b", "test.order", new Sum(i, 0));
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(i, got.poll(WAIT_S, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void requestAndReplyCarryRecords() throws Exception {
        try (Registration r = b.subscribe("test.add", m -> {
            Sum s = m.body(Sum.class);
            return new Result(s.a() + s.b(), "b", Instant.parse("2024-01-02T03:04:05Z"));
        })) {
            Result result = a.request("b", "test.add", new Sum(2, 3), Result.class, Duration.ofSeconds(WAIT_S))
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(new Result(5, "b", Instant.parse("2024-01-02T03:04:05Z")), result);
        }
    }

    @Test
    void requestToSelfWorks() throws Exception {
        try (Registration r = a.subscribe("test.self", m -> new Text("self from " + m.from()))) {
            Text reply = a.request("a", "test.self", null, Text.class, Duration.ofSeconds(WAIT_S))
                    .get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(new Text("self from a"), reply);
        }
    }

    @Test
    void asynchronousHandlerReplyIsSentWhenItCompletes() throws Exception {
        CompletableFuture<Text> later = new CompletableFuture<>();
        try (Registration r = c.subscribe("test.async", m -> later)) {
            CompletableFuture<Text> reply = a.request("c", "test.async", null, Text.class, Duration.ofSeconds(WAIT_S));
            later.complete(new Text("done"));
            assertEquals(new Text("done"), reply.get(WAIT_S, TimeUnit.SECONDS));
        }
    }

    @Test
    void requestToNodeWithoutHandlerFailsWithAnErrorNotATimeOut() {
        CompletableFuture<Text> reply = a.request("b", "test.nobody", new Text("?"), Text.class, Duration.ofMinutes(5));
        // waits far less than the request's time-out: the answer must be the error reply
        ExecutionException ex = assertThrows(ExecutionException.class, () -> reply.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(io.skiff.api.transport.TransportException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("no handler for test.nobody"), ex.getCause().getMessage());
    }

    @Test
    void handlerExceptionBecomesAnErrorReply() {
        try (Registration r = b.subscribe("test.fails", m -> {
            throw SkiffException.conflict("name", "instance web-1 already exists");
        })) {
            CompletableFuture<Text> reply = a.request("b", "test.fails", null, Text.class, Duration.ofMinutes(5));
            ExecutionException ex = assertThrows(ExecutionException.class, () -> reply.get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(io.skiff.api.transport.TransportException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("instance web-1 already exists [conflict]"),
                    ex.getCause().getMessage());
        }
    }

    @Test
    void requestToUnknownNodeFailsAtOnce() {
        CompletableFuture<Text> reply = a.request("nobody", "test.add", null, Text.class, Duration.ofMinutes(5));
        assertTrue(reply.isCompletedExceptionally());
        ExecutionException ex = assertThrows(ExecutionException.class, reply::get);
        assertInstanceOf(io.skiff.api.transport.TransportException.class, ex.getCause());
        assertThrows(io.skiff.api.transport.TransportException.class, () -> a.send("nobody", "test.send", null));
    }

    @Test
    void unansweredRequestTimesOut() {
        try (Registration r = b.subscribe("test.silent", m -> new CompletableFuture<Text>())) {
            CompletableFuture<Text> reply = a.request("b", "test.silent", null, Text.class, Duration.ofMillis(300));
            ExecutionException ex = assertThrows(ExecutionException.class, () -> reply.get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(io.skiff.api.transport.TransportException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("timed out"), ex.getCause().getMessage());
        }
    }

    @Test
    void answeredTimedOutAndCancelledRequestsLeaveNothingBehind() throws Exception {
        try (Registration hold = b.subscribe("test.hold", m -> new CompletableFuture<Text>());
             Registration echo = b.subscribe("test.echo", m -> m.body(Text.class))) {
            assertEquals(new Text("x"), a.request("b", "test.echo", new Text("x"), Text.class,
                    Duration.ofSeconds(WAIT_S)).get(WAIT_S, TimeUnit.SECONDS));
            CompletableFuture<Text> timedOut = a.request("b", "test.hold", null, Text.class, Duration.ofMillis(200));
            CompletableFuture<Text> cancelled = a.request("b", "test.hold", null, Text.class, Duration.ofMinutes(5));
            cancelled.cancel(false);
            assertThrows(ExecutionException.class, () -> timedOut.get(WAIT_S, TimeUnit.SECONDS));
            // the dispatcher's table of requests and the map kept for plain replies are empty again
            TestNodes.await(() -> inFlight(a) == 0, () -> "requests still in flight at a: " + inFlight(a));
        }
    }

    @Test
    void previousVersionIsAcceptedAndUnknownVersionDropped() throws Exception {
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        try (Registration r = b.subscribe("test.version", m -> record(got, "b", m))) {
            var mapper = TransportComponent.newObjectMapper();
            org.jgroups.Address target = a.resolve("b");
            a.send(target, new Envelope(Skiff.MESSAGE_VERSION - 1, "test.version", "id-0", null,
                    Envelope.Kind.EVENT, mapper.valueToTree(new Text("old"))));
            a.send(target, new Envelope(99, "test.version", "id-99", null,
                    Envelope.Kind.EVENT, mapper.valueToTree(new Text("future"))));
            a.send(target, new Envelope(Skiff.MESSAGE_VERSION, "test.version", "id-1", null,
                    Envelope.Kind.EVENT, mapper.valueToTree(new Text("current"))));
            // the events of one sender are handled in order: "future" would come between the two
            assertEquals(new Received("b", "a", Skiff.MESSAGE_VERSION - 1, "old"), got.poll(WAIT_S, TimeUnit.SECONDS));
            assertEquals(new Received("b", "a", Skiff.MESSAGE_VERSION, "current"), got.poll(WAIT_S, TimeUnit.SECONDS));
            assertNull(got.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void secondHandlerForOneTypeIsRefused() {
        try (Registration r = a.subscribe("test.once", m -> null)) {
            assertThrows(IllegalStateException.class, () -> a.subscribe("test.once", m -> null));
        }
        // once unregistered, the type is free again
        a.subscribe("test.once", m -> null).close();
    }

    @Test
    void joiningAndClosingNodeIsReportedAndItsPendingRequestsFail() throws Exception {
        BlockingQueue<Set<String>> joined = new LinkedBlockingQueue<>();
        BlockingQueue<Set<String>> left = new LinkedBlockingQueue<>();
        try (Registration r = a.addMembershipListener((members, j, l) -> {
            if (!j.isEmpty()) {
                joined.add(j);
            }
            if (!l.isEmpty()) {
                left.add(l);
            }
        })) {
            JGroupsTransport d = nodes.start("d");
            assertEquals(Set.of("d"), joined.poll(WAIT_S, TimeUnit.SECONDS));
            TestNodes.awaitMembers(4, a, b, c, d);
            d.subscribe("test.never", m -> new CompletableFuture<Text>());
            CompletableFuture<Text> reply = a.request("d", "test.never", null, Text.class, Duration.ofMinutes(5));

            d.close();
            assertEquals(Set.of("d"), left.poll(WAIT_S * 2, TimeUnit.SECONDS));
            TestNodes.awaitMembers(3, a, b, c);
            ExecutionException ex = assertThrows(ExecutionException.class, () -> reply.get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(io.skiff.api.transport.TransportException.class, ex.getCause());
        }
    }

    /** The requests node {@code t} still holds: the dispatcher's table (JGroups internals) and the plain-reply map. */
    private static int inFlight(JGroupsTransport t) {
        try {
            java.lang.reflect.Field dispatcher = JGroupsTransport.class.getDeclaredField("dispatcher");
            dispatcher.setAccessible(true);
            Object correlator = ((org.jgroups.blocks.MessageDispatcher) dispatcher.get(t)).correlator();
            java.lang.reflect.Field requests = org.jgroups.blocks.RequestCorrelator.class.getDeclaredField("requests");
            requests.setAccessible(true);
            java.lang.reflect.Field plain = JGroupsTransport.class.getDeclaredField("plainReplies");
            plain.setAccessible(true);
            return ((java.util.Map<?, ?>) requests.get(correlator)).size() + ((java.util.Map<?, ?>) plain.get(t)).size();
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Object record(BlockingQueue<Received> got, String node, Message m) {
        got.add(new Received(node, m.from(), m.version(), m.body(Text.class).text()));
        return null;
    }
}
