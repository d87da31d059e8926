package io.skiff.api.transport;

import java.util.List;
import java.util.Set;

/** Told when nodes join or leave the cluster domain (including when a node is suspected dead). */
@FunctionalInterface
public interface MembershipListener {

    /**
     * @param members the members now
     * @param joined node names that joined
     * @param left node names that left or were suspected and removed
     */
    void membersChanged(List<ClusterMember> members, Set<String> joined, Set<String> left);
}
