package io.skiff.api.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messaging between Skiff nodes of one domain: one-way events and asynchronous requests with
 * time-outs, JSON bodies with a version. Core and Cell talk through it even inside one JVM.
 */
public interface ClusterTransport {

    /** @return the cluster domain (JGroups cluster name) */
    String domain();

    /** @return this node's name */
    String localNode();

    /** @return the current members, this node included */
    List<ClusterMember> members();

    /**
     * Sends a one-way event to every member, this node included.
     *
     * @param type message type
     * @param body record mapped to JSON
     */
    void publish(String type, Object body);

    /**
     * Sends a one-way message to one node.
     *
     * @param node target node name
     * @param type message type
     * @param body record mapped to JSON
     */
    void send(String node, String type, Object body);

    /**
     * Sends a request to one node and returns its reply.
     *
     * @param node target node name
     * @param type message type
     * @param body record mapped to JSON
     * @param replyType type of the reply body
     * @param timeout how long to wait
     * @return a future completed with the reply, or exceptionally with a {@link TransportException}
     */
    <R> CompletableFuture<R> request(String node, String type, Object body, Class<R> replyType, Duration timeout);

    /**
     * Registers a handler for one message type; one handler per type.
     *
     * @return a handle that unregisters it on {@link AutoCloseable#close()}
     */
    Registration subscribe(String type, MessageHandler handler);

    /** @return a handle that unregisters the listener */
    Registration addMembershipListener(MembershipListener listener);

    /** Undoes a registration. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
