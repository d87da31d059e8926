package io.skiff.transport.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.skiff.api.transport.ClusterMember;
import org.awaitility.Awaitility;

/**
 * One Skiff node with multicast discovery, run as its own JVM by {@link MulticastDiscoveryNamespaceTest} inside a
 * network namespace ({@code ip netns exec <ns> java ... MulticastNode ...}). Never started by Surefire itself.
 *
 * <p>Arguments: {@code domain nodeName bindAddress keyFile peerName maxLifetimeSeconds}. It joins the domain
 * (UDP + PING on {@code bindAddress}, group 228.8.8.8:45588, TTL 1), answers {@code mc.echo} requests, and once it
 * sees two members it publishes one {@code mc.hello} event and sends {@code mc.echo} requests to {@code peerName}
 * until one is answered. It reports on stdout, one line each, prefixed with {@value #PREFIX}:
 * <pre>
 *   STARTED &lt;node&gt; &lt;members&gt;
 *   MEMBERS &lt;count&gt; &lt;node@address,...&gt;      on every view change
 *   EVENT &lt;from&gt; &lt;text&gt;                     an mc.hello received
 *   REPLY &lt;peer&gt; &lt;text&gt;                     the peer's answer to our mc.echo
 *   FAILED &lt;message&gt;
 * </pre>
 * It leaves the domain and exits when its stdin closes (the test ends it, or the test JVM died) or after
 * {@code maxLifetimeSeconds} at the latest, so that it can never outlive the test by long.
 */
public final class MulticastNode {
    static final String PREFIX = "MCNODE ";
    static final String ECHO = "mc.echo";
    static final String HELLO = "mc.hello";

    /** The body of both messages. */
    public record Text(String text) {
    }

    private MulticastNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: MulticastNode domain nodeName bindAddress keyFile peerName maxLifetimeSeconds");
            System.exit(2);
        }
        String domain = args[0];
        String node = args[1];
        String bind = args[2];
        Path keyFile = Path.of(args[3]);
        String peer = args[4];
        long lifetimeSeconds = Long.parseLong(args[5]);

        ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifetime");
            t.setDaemon(true);
            return t;
        });
        reaper.schedule(() -> {
            report("FAILED lifetime of " + lifetimeSeconds + " s over, exiting");
            Runtime.getRuntime().halt(3);
        }, lifetimeSeconds, TimeUnit.SECONDS);

        TransportSettings settings = new TransportSettings(domain, node, bind, 7800, 5,
                TransportSettings.Discovery.MULTICAST, List.of(), "228.8.8.8", 45588, keyFile, Duration.ofSeconds(3));
        JGroupsTransport transport = new JGroupsTransport(settings, TransportComponent.newObjectMapper());
        CountDownLatch twoMembers = new CountDownLatch(1);
        transport.subscribe(ECHO, m -> new Text(m.body(Text.class).text() + " answered by " + node));
        transport.subscribe(HELLO, m -> {
            if (!m.from().equals(node)) {
                report("EVENT " + m.from() + " " + m.body(Text.class).text());
            }
            return null;
        });
        transport.addMembershipListener((members, joined, left) -> {
            report("MEMBERS " + members.size() + " " + describe(members));
            if (members.size() == 2) {
                twoMembers.countDown();
            }
        });
        try {
            transport.start();
            report("STARTED " + node + " " + describe(transport.members()));
            if (transport.members().size() == 2) {
                twoMembers.countDown();
            }
            Thread exchange = new Thread(() -> exchange(transport, node, peer, twoMembers), "exchange");
            exchange.setDaemon(true);
            exchange.start();
            // runs until the test closes our stdin (or its JVM is gone)
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // nothing to do: any input just keeps us running
            }
        } catch (Exception ex) {
            report("FAILED " + ex);
            ex.printStackTrace();
        } finally {
            transport.close();
        }
        System.exit(0);
    }

    private static void exchange(JGroupsTransport transport, String node, String peer, CountDownLatch twoMembers) {
        try {
            twoMembers.await();
            transport.publish(HELLO, new Text("hello from " + node));
            // asks again, 250 ms apart, until the peer answers one request (the node's lifetime bounds this)
            int[] attempt = {0};
            Awaitility.await().forever().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .pollInSameThread().until(() -> {
                        attempt[0]++;
                        try {
                            Text reply = transport.request(peer, ECHO, new Text("ping " + attempt[0] + " from " + node),
                                    Text.class, Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS);
                            report("REPLY " + peer + " " + reply.text());
                            return true;
                        } catch (Exception ex) {
                            System.err.println("request to " + peer + " failed: " + ex);
                            return false;
                        }
                    });
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(List<ClusterMember> members) {
        return members.stream().map(m -> m.node() + "@" + m.address()).sorted().collect(Collectors.joining(","));
    }

    private static void report(String line) {
        synchronized (System.out) {
            System.out.println(PREFIX + line);
            System.out.flush();
        }
    }
}
