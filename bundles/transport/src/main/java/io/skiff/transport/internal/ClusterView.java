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
import org.jgroups.util.UUID;
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
 *
 * <p>A node name belongs to one member. When a second member joins under a name already in use, the member that
 * holds the name keeps it (the previous holder while it stays in the view, else the first in view order) and the
 * later one is <em>refused</em>: its name never resolves to it and its messages are dropped ({@link #accepts}), with
 * a warning that names both addresses (and an error on the refused node itself). A node never refuses itself.
 */
final class ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final String domain;
    private final Supplier<JChannel> channel;
    private final SerialExecutor listenerQueue;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Membership membership = Membership.EMPTY;

    /**
     * The current view, with the node names resolved.
     *
     * @param byName the member that holds each name
     * @param refused the members refused because another member holds their name
     */
    private record Membership(List<Address> addresses, Map<String, Address> byName, Set<Address> refused) {
        static final Membership EMPTY = new Membership(List.of(), Map.of(), Set.of());
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
        Address self = self();
        Address address = self != null && node.equals(nameOf(self)) ? self : membership.byName().get(node);
        if (address == null) {
            throw new TransportException("no node " + node + " in domain " + domain);
        }
        return address;
    }

    /** @return whether messages from this member are taken: it is this node, or it holds its name */
    boolean accepts(Address sender) {
        return sender == null || sender.equals(self()) || !membership.refused().contains(sender);
    }

    /**
     * Takes a new view and tells the listeners who joined and who left, and of every change in who is refused.
     *
     * @return the names of the nodes that left
     */
    Set<String> accept(View view) {
        List<Address> addresses = List.copyOf(view.getMembers());
        Membership before = membership;
        Map<String, Address> byName = new LinkedHashMap<>();
        Set<Address> refused = new LinkedHashSet<>();
        for (Address a : addresses) {
            String name = nameOf(a);
            Address holder = byName.get(name);
            if (holder == null) {
                byName.put(name, a);
            } else if (a.equals(before.byName().get(name))) {
                // the previous holder keeps its name, whatever the order of a new (e.g. merge) view
                byName.put(name, a);
                refused.add(holder);
            } else {
                refused.add(a);
            }
        }
        for (Address a : refused) {
            if (!before.refused().contains(a)) {
                warnRefused(a, byName.get(nameOf(a)));
            }
        }
        membership = new Membership(addresses, Collections.unmodifiableMap(byName),
                Collections.unmodifiableSet(refused));

        Set<String> joined = new LinkedHashSet<>(byName.keySet());
        joined.removeAll(before.byName().keySet());
        Set<String> left = new LinkedHashSet<>(before.byName().keySet());
        left.removeAll(byName.keySet());
        LOG.info("domain {} view {}: members {}, joined {}, left {}{}", domain, view.getViewId(), byName.keySet(),
                joined, left, refused.isEmpty() ? "" : ", refused " + refused.size() + " with a name in use");
        if (!joined.isEmpty() || !left.isEmpty() || !refused.equals(before.refused())) {
            tell(members(addresses), Collections.unmodifiableSet(joined), Collections.unmodifiableSet(left));
        }
        return left;
    }

    private void warnRefused(Address refused, Address holder) {
        if (refused.equals(self())) {
            LOG.error("this node {} {} is refused by domain {}: the member {} joined earlier under the same "
                    + "name; give this node a unique nodeName (etc/io.skiff.transport.cfg) and restart it",
                    nameOf(refused), where(refused), domain, where(holder));
        } else {
            LOG.warn("member {} refused: node name {} is already used in domain {} by the member {} (joined "
                    + "earlier); its messages are dropped until one of them leaves; node names must be unique",
                    where(refused), nameOf(refused), domain, where(holder));
        }
    }

    /** @return "at" a member's physical address, for a log line; its JGroups UUID while the address is unknown */
    private String where(Address address) {
        String physical = physicalAddress(address);
        if (!physical.isEmpty()) {
            return "at " + physical;
        }
        String id = address instanceof UUID uuid ? uuid.toStringLong() : String.valueOf(address);
        return id + " (address not known yet)";
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

    private Address self() {
        JChannel ch = channel.get();
        return ch == null ? null : ch.address();
    }

    private List<ClusterMember> members(List<Address> addresses) {
        Address self = self();
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
