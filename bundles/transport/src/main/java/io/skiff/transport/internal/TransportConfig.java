package io.skiff.transport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration {@code io.skiff.transport}: the cluster domain this node joins and how. */
@ObjectClassDefinition(name = "Skiff cluster transport",
        description = "JGroups transport between the Skiff nodes of one domain. The default binds to loopback: an "
                + "all-in-one install sends nothing onto the network.")
public @interface TransportConfig {

    @AttributeDefinition(description = "Cluster domain (JGroups cluster name); nodes join the domain of this name.")
    String domain() default "skiff";

    @AttributeDefinition(required = false,
            description = "This node's name, unique in the domain (JGroups logical name). Empty: the kernel's host name "
                    + "(unless localhost), else skiff- and the start of /etc/machine-id.")
    String nodeName() default "";

    @AttributeDefinition(description = "Address of the interface to bind. 127.0.0.1 keeps the node to itself; "
            + "name a real interface's address to grow the domain.")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(description = "First port for the transport socket.")
    int bindPort() default 7800;

    @AttributeDefinition(description = "Ports above bindPort tried when taken; also probed on each member host.")
    int portRange() default 10;

    @AttributeDefinition(description = "How nodes find each other: tcp (static members list) or multicast "
            + "(UDP multicast on the bound interface, TTL 1).",
            options = {@Option(label = "TCP, static member list", value = "tcp"),
                    @Option(label = "UDP multicast", value = "multicast")})
    String discovery() default "tcp";

    @AttributeDefinition(description = "Members for tcp discovery: host[port],host[port],...")
    String members() default "127.0.0.1[7800]";

    @AttributeDefinition(description = "Multicast group for multicast discovery.")
    String mcastAddress() default "228.8.8.8";

    @AttributeDefinition(description = "Multicast port for multicast discovery.")
    int mcastPort() default 45588;

    @AttributeDefinition(description = "Cluster key file (base64 AES key); created on first start when missing. "
            + "Every node of the domain needs a copy of the same file.")
    String keyFile() default "${karaf.etc}/skiff-cluster.key";

    @AttributeDefinition(description = "Default time-out of a request, in seconds.")
    long requestTimeoutSeconds() default 10;

    @AttributeDefinition(description = "FD_ALL3 timeout in ms: a member from which nothing arrived for this long is "
            + "suspected (then verified by VERIFY_SUSPECT2). Default 3000: a dead host leaves the view within about 5 s.")
    long failureDetectionTimeoutMs() default 3_000;

    @AttributeDefinition(description = "FD_ALL3 interval in ms between heartbeats; shorter than "
            + "failureDetectionTimeoutMs.")
    long failureDetectionIntervalMs() default 1_000;

    @AttributeDefinition(description = "VERIFY_SUSPECT2 timeout in ms: how long a suspected member has to answer "
            + "before it is removed from the view.")
    long verifySuspectTimeoutMs() default 1_000;
}
