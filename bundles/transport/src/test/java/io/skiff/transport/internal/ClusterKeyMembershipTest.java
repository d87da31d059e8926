package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.TransportException;

/** The cluster key is the membership: a node with another key neither joins nor is heard. Ports 27920-27925. */
class ClusterKeyMembershipTest {

    record Text(String text) {
    }

    @TempDir
    Path dir;

    @Test
    void nodeWithAnotherKeyCannotJoinNorBeHeard() throws Exception {
        try (TestNodes nodes = new TestNodes(27920, dir.resolve("domain.key"))) {
            JGroupsTransport a = nodes.start("a");
            BlockingQueue<String> heardByA = new LinkedBlockingQueue<>();
            a.subscribe("test.hello", m -> heardByA.add(m.from()));

            JGroupsTransport intruder = nodes.start("intruder", dir.resolve("other.key"));
            JGroupsTransport b = nodes.start("b");
            TestNodes.awaitMembers(2, a, b);

            assertEquals(List.of("a", "b"), a.members().stream().map(ClusterMember::node).sorted().toList());
            assertEquals(List.of("intruder"), intruder.members().stream().map(ClusterMember::node).toList());

            // the intruder does not even know the members' names, so it cannot address them
            ExecutionException ex = assertThrows(ExecutionException.class,
                    () -> intruder.request("a", "test.hello", null, Text.class, Duration.ofSeconds(5)).get());
            assertTrue(ex.getCause() instanceof TransportException, ex.toString());

            // even handed a's address, its messages never reach a's handlers (its discovery of a's physical
            // address is encrypted with the wrong key and dropped); b's are heard
            intruder.publish("test.hello", new Text("let me in"));
            intruder.send(a.resolve("a"), new Envelope(1, "test.hello", "x", null, Envelope.Kind.EVENT, null));
            b.publish("test.hello", new Text("hi"));
            assertEquals("b", heardByA.poll(10, TimeUnit.SECONDS));
            assertNull(heardByA.poll(300, TimeUnit.MILLISECONDS));
            assertEquals(2, a.members().size());
        }
    }
}
