package io.skiff.transport.internal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.skiff.osgi.support.host.HostNames;

/**
 * The settings of one {@link JGroupsTransport}: which domain (JGroups cluster) to join under which node name, where
 * to bind, how to find the other members, and where the cluster key lives. Built from the OSGi configuration by
 * {@link #from(TransportConfig)} or directly by tests.
 *
 * @param domain JGroups cluster name; only nodes with the same domain and the same key form a cluster
 * @param nodeName JGroups logical name, unique in the domain
 * @param bindAddress interface address to bind (loopback in the all-in-one default)
 * @param bindPort first port tried for the transport socket
 * @param portRange how many ports above {@code bindPort} are tried, and probed by TCPPING on each member host
 * @param discovery {@link Discovery#TCP} (static member list) or {@link Discovery#MULTICAST}
 * @param members the static member list for TCP discovery
 * @param mcastAddress multicast group for {@link Discovery#MULTICAST}
 * @param mcastPort multicast port for {@link Discovery#MULTICAST}
 * @param keyFile the shared cluster key (created on first start when missing)
 * @param requestTimeout default time-out of a request when the caller gives none
 * @param failureDetection how fast a silent member is suspected and removed from the view
 */
public record TransportSettings(String domain, String nodeName, String bindAddress, int bindPort, int portRange,
                                Discovery discovery, List<InetSocketAddress> members, String mcastAddress,
                                int mcastPort, Path keyFile, Duration requestTimeout,
                                FailureDetection failureDetection) {

    /** Settings with the {@linkplain FailureDetection#DEFAULT default failure detection}. */
    public TransportSettings(String domain, String nodeName, String bindAddress, int bindPort, int portRange,
                             Discovery discovery, List<InetSocketAddress> members, String mcastAddress,
                             int mcastPort, Path keyFile, Duration requestTimeout) {
        this(domain, nodeName, bindAddress, bindPort, portRange, discovery, members, mcastAddress, mcastPort, keyFile,
                requestTimeout, FailureDetection.DEFAULT);
    }

    /** How nodes find each other. */
    public enum Discovery {
        /** TCP transport, TCPPING with a static member list: works where multicast is not available. */
        TCP,
        /** UDP transport, PING by IP multicast on the bound interface (TTL 1: never leaves the subnet). */
        MULTICAST;

        static Discovery parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "", "tcp" -> TCP;
                case "multicast", "udp" -> MULTICAST;
                default -> throw new IllegalArgumentException("discovery must be 'tcp' or 'multicast', not '" + value + "'");
            };
        }
    }

    public TransportSettings {
        requireText(domain, "domain");
        requireText(nodeName, "nodeName");
        requireText(bindAddress, "bindAddress");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(failureDetection, "failureDetection");
        members = List.copyOf(members);
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bindPort out of range: " + bindPort);
        }
        if (portRange < 0) {
            throw new IllegalArgumentException("portRange must not be negative: " + portRange);
        }
        if (discovery == Discovery.TCP && members.isEmpty()) {
            throw new IllegalArgumentException("members must name at least one host for tcp discovery");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    /** Settings from the OSGi configuration, with the defaults that depend on the host filled in. */
    public static TransportSettings from(TransportConfig config) {
        String nodeName = config.nodeName() == null || config.nodeName().isBlank() ? HostNames.system().name()
                : config.nodeName().trim();
        return new TransportSettings(config.domain().trim(), nodeName, config.bindAddress().trim(), config.bindPort(),
                config.portRange(), Discovery.parse(config.discovery()), parseMembers(config.members(), config.bindPort()),
                config.mcastAddress().trim(), config.mcastPort(), Path.of(expandKarafEtc(config.keyFile())),
                Duration.ofSeconds(config.requestTimeoutSeconds()),
                new FailureDetection(Duration.ofMillis(config.failureDetectionTimeoutMs()),
                        Duration.ofMillis(config.failureDetectionIntervalMs()),
                        Duration.ofMillis(config.verifySuspectTimeoutMs())));
    }

    /**
     * Parses a member list in JGroups' {@code initial_hosts} form: {@code host[port],host[port]}; {@code host:port}
     * and a bare {@code host} (meaning {@code defaultPort}) are accepted too.
     */
    public static List<InetSocketAddress> parseMembers(String members, int defaultPort) {
        List<InetSocketAddress> result = new ArrayList<>();
        if (members == null) {
            return result;
        }
        for (String entry : members.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String host = e;
            int port = defaultPort;
            int bracket = e.indexOf('[');
            if (bracket >= 0) {
                if (!e.endsWith("]")) {
                    throw new IllegalArgumentException("bad member '" + e + "': expected host[port]");
                }
                host = e.substring(0, bracket).trim();
                port = parsePort(e.substring(bracket + 1, e.length() - 1), e);
            } else if (e.indexOf(':') > 0 && e.indexOf(':') == e.lastIndexOf(':')) {
                host = e.substring(0, e.indexOf(':')).trim();
                port = parsePort(e.substring(e.indexOf(':') + 1), e);
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("bad member '" + e + "': no host");
            }
            result.add(new InetSocketAddress(host, port));
        }
        return result;
    }

    /** Replaces {@code ${karaf.etc}} by the Karaf property, or by {@code etc} outside Karaf. */
    static String expandKarafEtc(String path) {
        String p = path == null || path.isBlank() ? "${karaf.etc}/skiff-cluster.key" : path.trim();
        return p.replace("${karaf.etc}", System.getProperty("karaf.etc", "etc"));
    }

    private static int parsePort(String text, String entry) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("bad member '" + entry + "': port out of range");
            }
            return port;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("bad member '" + entry + "': port is not a number", ex);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
