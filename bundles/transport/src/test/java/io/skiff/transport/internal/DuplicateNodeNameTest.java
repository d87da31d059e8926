package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.TransportException;
import io.skiff.transport.internal.JGroupsTransportTest.Text;

/**
 * Two members under one node name: the one that joined first keeps the name, the later one is refused until the
 * first leaves. Ports 27980-27985.
 */
class DuplicateNodeNameTest {
    private static final long WAIT_S = 10;

    @Test
    void theLaterMemberIsRefusedUntilTheFirstLeaves(@TempDir Path dir) throws Exception {
        try (TestNodes nodes = new TestNodes(27980, dir.resolve("cluster.key"))) {
            JGroupsTransport first = nodes.start("host");
            JGroupsTransport core = nodes.start("core");
            BlockingQueue<List<ClusterMember>> told = new LinkedBlockingQueue<>();
            core.addMembershipListener((members, joined, left) -> told.add(members));
            JGroupsTransport second = nodes.start("host");
            TestNodes.awaitMembers(3, first, core, second);
            // told although no name joined or left: the listeners must see the duplicate
            List<ClusterMember> members = told.poll(WAIT_S, TimeUnit.SECONDS);
            assertEquals(2, members.stream().filter(m -> m.node().equals("host")).count(), members.toString());

            first.subscribe("test.who", m -> new Text("first"));
            second.subscribe("test.who", m -> new Text("second"));
            assertEquals("first", core.request("host", "test.who", null, Text.class, Duration.ofSeconds(WAIT_S))
                    .get(WAIT_S, TimeUnit.SECONDS).text());

            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            core.subscribe("test.event", m -> {
                events.add(m.body(Text.class).text());
                return null;
            });
            second.publish("test.event", new Text("from second"));
            first.publish("test.event", new Text("from first"));
            assertEquals("from first", events.poll(WAIT_S, TimeUnit.SECONDS));

            core.subscribe("test.ask", m -> new Text("answered"));
            CompletableFuture<Text> refused = second.request("core", "test.ask", null, Text.class,
                    Duration.ofMinutes(5));
            ExecutionException ex = assertThrows(ExecutionException.class, () -> refused.get(WAIT_S, TimeUnit.SECONDS));
            assertInstanceOf(TransportException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("holds that node name"), ex.getCause().getMessage());
            // a node never refuses itself
            assertEquals("second", second.request("host", "test.who", null, Text.class, Duration.ofSeconds(WAIT_S))
                    .get(WAIT_S, TimeUnit.SECONDS).text());

            first.close();
            TestNodes.awaitMembers(2, core, second);
            TestNodes.await(() -> {
                try {
                    return "second".equals(core.request("host", "test.who", null, Text.class,
                            Duration.ofSeconds(WAIT_S)).get(WAIT_S, TimeUnit.SECONDS).text());
                } catch (Exception e) {
                    return false;
                }
            }, () -> "the name did not pass to the remaining member");
            assertNull(events.poll());
        }
    }
}
