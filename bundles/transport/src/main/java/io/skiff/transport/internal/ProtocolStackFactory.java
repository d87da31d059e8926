package io.skiff.transport.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.SecretKey;

import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SERIALIZE;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.stack.Protocol;

/**
 * Builds the JGroups protocol stack in code (no XML lookup, so nothing depends on class-loader resources):
 *
 * <pre>
 *   FRAG4                      fragments large messages
 *   MFC, UFC                   flow control
 *   GMS                        membership; join_timeout 1 s, so the first node is up fast
 *   STABLE                     garbage-collects delivered multicasts
 *   UNICAST3, NAKACK2          reliable, ordered unicast and multicast
 *   VERIFY_SUSPECT2            double-checks a suspicion before a node is removed
 *   FD_ALL3, FD_SOCK2          failure detection: a silent node is suspected after the configured timeout
 *                              (3 s by default, see {@link FailureDetection}), a crashed one at once
 *   MERGE3                     heals partitions
 *   TCPPING | PING             discovery: static member list, or IP multicast
 *   SYM_ENCRYPT                AES/CBC with the cluster key
 *   SERIALIZE                  puts the whole message (headers too) into the encrypted payload
 *   TCP | UDP                  transport bound to one address
 * </pre>
 *
 * Encryption sits right above the transport, so that discovery, heartbeats, merge and membership messages are
 * encrypted as well: a node without the key is not even discovered, and cannot join (its JOIN request cannot be
 * decrypted, and a sender outside the view with another key version is dropped). FD_SOCK2's own liveness sockets are
 * the only unencrypted traffic; they carry no data.
 */
final class ProtocolStackFactory {
    static final long JOIN_TIMEOUT_MS = 1_000;
    static final int MULTICAST_TTL = 1;
    static final String CIPHER = "AES/CBC/PKCS5Padding";
    private static final int AES_BLOCK = 16;

    private ProtocolStackFactory() {
    }

    /** How long FD_SOCK2 waits for a neighbour to accept its liveness connection before suspecting it. */
    static final int FD_SOCK_CONNECT_TIMEOUT_MS = 3_000;

    /**
     * How long the TCP transport waits for a new connection to be accepted (JGroups' {@code sock_conn_timeout},
     * 2 s by default). JGroups connects under one lock for all destinations, and its single bundler thread sends for
     * every member: while it waits for a host that is cut off (MERGE3 and TCPPING keep trying it), messages to every
     * other member wait too, so a failover after a cut link ran its steps seconds late. A connect on a working link
     * takes milliseconds, even on a busy host (the kernel answers it).
     */
    static final int TCP_CONNECT_TIMEOUT_MS = 500;

    /** @return the protocols, transport first (the order {@code new JChannel(List)} expects) */
    static List<Protocol> build(TransportSettings settings, SecretKey key) throws UnknownHostException {
        InetAddress bind = InetAddress.getByName(settings.bindAddress());
        List<Protocol> stack = new ArrayList<>();
        stack.add(transport(settings, bind));
        stack.add(new SERIALIZE());
        stack.add(new SYM_ENCRYPT().setSecretKey(key)
                .symAlgorithm(CIPHER).symIvLength(AES_BLOCK).symKeylength(key.getEncoded().length * 8));
        stack.add(discovery(settings));
        stack.add(new MERGE3().setMinInterval(1_000).setMaxInterval(5_000));
        // a neighbour that is slow to accept the liveness connection (a busy host, e.g. right after a merge) is
        // suspected when it has not answered within connect_timeout: 3 s rather than JGroups' 1 s, since a dead
        // neighbour is found by its closed connection (at once) or by FD_ALL3, not by this time-out
        stack.add(new FD_SOCK2().setBindAddress(bind).setPortRange(Math.max(settings.portRange(), 1))
                .setValue("connect_timeout", FD_SOCK_CONNECT_TIMEOUT_MS));
        FailureDetection detection = settings.failureDetection();
        stack.add(new FD_ALL3().setTimeout(detection.timeout().toMillis())
                .setInterval(detection.interval().toMillis()));
        stack.add(new VERIFY_SUSPECT2().setTimeout(detection.verifySuspectTimeout().toMillis()));
        stack.add(new NAKACK2());
        stack.add(new UNICAST3());
        stack.add(new STABLE());
        stack.add(new GMS().setJoinTimeout(JOIN_TIMEOUT_MS).printLocalAddress(false));
        stack.add(new UFC());
        stack.add(new MFC());
        stack.add(new FRAG4());
        return stack;
    }

    /**
     * Turns off JGroups' probe/diagnostics handler, which would otherwise listen (and for UDP multicast) beyond the
     * configured binding. It only exists once the stack is initialised, i.e. after {@code new JChannel(...)}.
     */
    static void disableDiagnostics(JChannel channel) {
        DiagnosticsHandler diagnostics = channel.getProtocolStack().getTransport().getDiagnosticsHandler();
        if (diagnostics != null) {
            diagnostics.setEnabled(false);
        }
    }

    private static TP transport(TransportSettings settings, InetAddress bind) throws UnknownHostException {
        TP transport;
        if (settings.discovery() == TransportSettings.Discovery.MULTICAST) {
            transport = new UDP()
                    .setMcastGroupAddr(InetAddress.getByName(settings.mcastAddress()))
                    .setMulticastPort(settings.mcastPort())
                    .setIpTTL(MULTICAST_TTL);
        } else {
            transport = new TCP().setSockConnTimeout(TCP_CONNECT_TIMEOUT_MS);
        }
        transport.setBindAddress(bind);
        transport.setBindPort(settings.bindPort());
        transport.setPortRange(settings.portRange());
        return transport;
    }

    private static Protocol discovery(TransportSettings settings) {
        if (settings.discovery() == TransportSettings.Discovery.MULTICAST) {
            return new PING();
        }
        // TCPPING's port_range counts the ports after the given one; TP's counts them too
        return new TCPPING().setInitialHosts(settings.members()).setPortRange(settings.portRange());
    }
}
