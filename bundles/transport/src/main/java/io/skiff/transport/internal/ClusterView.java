package io.skiff.transport.internal;

import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport.Registration;
import io.skiff.api.transport.MembershipListener;
import io.skiff.api.transport.TransportException;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.PhysicalAddress;
import org.jgroups.View;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The domain's current view with the node names resolved: who is a member, the address of a named node, and the
 * membership listeners, told of every change one after the other (on the transport's pool, never on JGroups' thread).
 */
final class ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final String domain;
    private final Supplier<JChannel> channel;
    private final SerialExecutor listenerQueue;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Membership membership = Membership.EMPTY;

    /** The current view, with the node names resolved. */
    private record Membership(List<Address> addresses, Map<String, Address> byName) {
        static final Membership EMPTY = new Membership(List.of(), Map.of());
    }

    /**
     * @param channel the transport's channel as it is now ({@code null} before the start): this node's address and
     *     the members' physical addresses
     * @param pool where the listeners run
     */
    ClusterView(String domain, Supplier<JChannel> channel, Executor pool) {
        this.domain = domain;
        this.channel = channel;
        this.listenerQueue = new SerialExecutor(pool);
    }

    Registration addListener(MembershipListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** @return the members of the current view, this node marked local */
    List<ClusterMember> members() {
        return members(membership.addresses());
    }

    /** @return the names of the members of the current view */
    List<String> names() {
        return membership.addresses().stream().map(ClusterView::nameOf).toList();
    }

    /** @return the address of the named member; a {@link TransportException} when no member has that name */
    Address resolve(String node) {
        Objects.requireNonNull(node, "node");
        Address address = membership.byName().get(node);
        if (address == null) {
            throw new TransportException("no node " + node + " in domain " + domain);
        }
        return address;
    }

    /**
     * Takes a new view and tells the listeners who joined and who left.
     *
     * @return the names of the nodes that left
     */
    Set<String> accept(View view) {
        List<Address> addresses = List.copyOf(view.getMembers());
        Map<String, Address> byName = new LinkedHashMap<>();
        for (Address a : addresses) {
            Address previous = byName.put(nameOf(a), a);
            if (previous != null) {
                // the newer member wins: most likely a restarted node whose old incarnation is not removed yet
                LOG.warn("two members of domain {} are named {} ({} and {}); node names must be unique", domain,
                        nameOf(a), previous, a);
            }
        }
        Membership before = membership;
        membership = new Membership(addresses, Collections.unmodifiableMap(byName));

        Set<String> joined = new LinkedHashSet<>(byName.keySet());
        joined.removeAll(before.byName().keySet());
        Set<String> left = new LinkedHashSet<>(before.byName().keySet());
        left.removeAll(byName.keySet());
        LOG.info("domain {} view {}: members {}, joined {}, left {}", domain, view.getViewId(), byName.keySet(),
                joined, left);
        if (!joined.isEmpty() || !left.isEmpty()) {
            tell(members(addresses), Collections.unmodifiableSet(joined), Collections.unmodifiableSet(left));
        }
        return left;
    }

    private void tell(List<ClusterMember> members, Set<String> joined, Set<String> left) {
        for (MembershipListener listener : listeners) {
            try {
                listenerQueue.execute(() -> listener.membersChanged(members, joined, left));
            } catch (RejectedExecutionException ex) {
                return; // closing
            }
        }
    }

    private List<ClusterMember> members(List<Address> addresses) {
        JChannel ch = channel.get();
        Address self = ch == null ? null : ch.address();
        List<ClusterMember> result = new ArrayList<>(addresses.size());
        for (Address a : addresses) {
            result.add(new ClusterMember(nameOf(a), physicalAddress(a), a.equals(self)));
        }
        return List.copyOf(result);
    }

    /** @return {@code host:port} of a member, as its transport binds it; empty when unknown */
    String physicalAddress(Address address) {
        JChannel ch = channel.get();
        if (ch == null || address == null) {
            return "";
        }
        Object physical = ch.down(new Event(Event.GET_PHYSICAL_ADDRESS, address));
        if (physical instanceof IpAddress ip) {
            return ip.getIpAddress().getHostAddress() + ":" + ip.getPort();
        }
        return physical instanceof PhysicalAddress p ? p.printIpAddress() : "";
    }

    /** @return a member's node name ({@code ?} for none) */
    static String nameOf(Address address) {
        if (address == null) {
            return "?";
        }
        String name = NameCache.get(address);
        return name != null ? name : address.toString();
    }
}
