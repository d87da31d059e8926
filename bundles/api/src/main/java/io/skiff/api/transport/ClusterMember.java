package io.skiff.api.transport;

/**
 * A node of the cluster domain.
 *
 * @param node the node's unique name
 * @param address its transport address (host:port)
 * @param local whether it is this node
 */
public record ClusterMember(String node, String address, boolean local) {
}
