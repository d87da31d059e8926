package io.skiff.network.pool.internal;

import io.skiff.api.Skiff;
import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.service.ComputePoolService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.state.StateChange;
import io.skiff.api.state.StateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * IPv4 address pools kept in the Core's state store: pools under {@value AddressPoolRecords#POOL}, one record
 * per bound address under {@value AddressPoolRecords#BINDING}. Every check-then-change runs under one lock and
 * is journaled before it is visible, so no address is bound twice and a restart loses no binding.
 */
@Component(service = AddressPoolProvider.class, property = Skiff.PROVIDER_PROPERTY + "=ipv4")
public class Ipv4AddressPools implements AddressPoolProvider {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv4AddressPools.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final int MAX_RANGES = 64;
    static final int MAX_DNS = 4;

    private final StateStore store;
    private final Clock clock;
    private final Map<String, AddressPool> pools = new TreeMap<>();
    /** pool id → address → binding */
    private final Map<String, TreeMap<Long, AddressBinding>> bound = new HashMap<>();
    private final Map<String, AddressBinding> byHolder = new HashMap<>();
    private volatile ComputePoolService computePools;

    @Activate
    public Ipv4AddressPools(@Reference StateStore store) {
        this(store, Clock.systemUTC());
    }

    Ipv4AddressPools(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (AddressPool p : store.list(AddressPoolRecords.POOL, AddressPool.class)) {
            pools.put(p.id(), p);
            bound.put(p.id(), new TreeMap<>());
        }
        for (AddressBinding b : store.list(AddressPoolRecords.BINDING, AddressBinding.class)) {
            bound.computeIfAbsent(b.poolId(), k -> new TreeMap<>()).put(Ipv4.parse("address", b.address()), b);
            byHolder.put(b.holder(), b);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetComputePools")
    void setComputePools(ComputePoolService service) {
        computePools = service;
    }

    void unsetComputePools(ComputePoolService service) {
        if (computePools == service) {
            computePools = null;
        }
    }

    // ---- pools ---------------------------------------------------------------------------------------------

    @Override
    public synchronized List<AddressPool> list() {
        return List.copyOf(pools.values());
    }

    @Override
    public synchronized AddressPool get(String poolId) {
        return pool(null, poolId);
    }

    private AddressPool pool(String field, String poolId) {
        if (poolId == null || poolId.isEmpty()) {
            throw SkiffException.invalid(field == null ? "id" : field, "an address pool is required");
        }
        AddressPool p = pools.get(poolId);
        if (p == null) {
            throw SkiffException.notFound(field, "address pool", poolId);
        }
        return p;
    }

    @Override
    public synchronized AddressPool create(AddressPool spec) {
        if (spec == null) {
            throw SkiffException.invalid("body", "an address pool is required");
        }
        String name = spec.name();
        if (name == null || name.isEmpty()) {
            throw SkiffException.invalid("name", "name is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw SkiffException.invalid("name", "name '" + name + "' may contain only letters, digits, '.', '-' and"
                    + " '_', must start with a letter or digit and be at most 64 characters");
        }
        if (pools.containsKey(name)) {
            throw SkiffException.conflict("name", "address pool '" + name + "' already exists");
        }
        int prefix = spec.prefixLength();
        if (prefix < 8 || prefix > 30) {
            throw SkiffException.invalid("prefixLength", "prefixLength must be between 8 and 30");
        }
        long gateway = Ipv4.parse("gateway", spec.gateway());
        List<AddressRange> ranges = spec.ranges() == null ? List.of() : spec.ranges();
        if (ranges.isEmpty()) {
            throw SkiffException.invalid("ranges", "an address pool needs at least one range");
        }
        List<long[]> checked = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            long[] r = checkRange("ranges." + i, ranges.get(i), gateway, prefix, null);
            for (int j = 0; j < checked.size(); j++) {
                if (overlaps(r, checked.get(j))) {
                    throw SkiffException.invalid("ranges." + i, "range " + text(r) + " overlaps ranges." + j + " ("
                            + text(checked.get(j)) + ")");
                }
            }
            checked.add(r);
        }
        AddressPool pool = new AddressPool(name, name, normalise(checked), prefix, Ipv4.format(gateway),
                dns(spec.dnsServers()), domain(spec.domain()), List.of(), clock.instant());
        store.put(AddressPoolRecords.POOL, name, pool);
        pools.put(name, pool);
        bound.put(name, new TreeMap<>());
        LOG.info("address pool {} created: {} range(s) in {}/{}, gateway {}", name, checked.size(),
                Ipv4.format(Ipv4.network(gateway, prefix)), prefix, pool.gateway());
        return pool;
    }

    /** Checks one range: well-formed, ordered, inside the gateway's subnet, not the gateway, network or
     *  broadcast address, and not overlapping another pool's range. */
    private long[] checkRange(String field, AddressRange range, long gateway, int prefix, String ownPool) {
        if (range == null) {
            throw SkiffException.invalid(field, field + " is empty");
        }
        long first = Ipv4.parse(field + ".first", range.first());
        long last = Ipv4.parse(field + ".last", range.last());
        if (first > last) {
            throw SkiffException.invalid(field, "range " + range.first() + "-" + range.last()
                    + " ends before it starts");
        }
        long network = Ipv4.network(gateway, prefix);
        long broadcast = Ipv4.broadcast(gateway, prefix);
        if (Ipv4.network(first, prefix) != network && Ipv4.network(last, prefix) != network) {
            throw SkiffException.invalid("gateway", "gateway " + Ipv4.format(gateway) + " is outside the subnet "
                    + Ipv4.format(Ipv4.network(first, prefix)) + "/" + prefix + " of range " + range.first() + "-"
                    + range.last());
        }
        if (first <= network || last >= broadcast) {
            throw SkiffException.invalid(field, "range " + range.first() + "-" + range.last() + " is not inside the"
                    + " usable addresses of the gateway's subnet " + Ipv4.format(network) + "/" + prefix
                    + " (" + Ipv4.format(network + 1) + "-" + Ipv4.format(broadcast - 1) + ")");
        }
        if (gateway >= first && gateway <= last) {
            throw SkiffException.invalid(field, "range " + range.first() + "-" + range.last()
                    + " contains the gateway " + Ipv4.format(gateway));
        }
        long[] r = {first, last};
        for (AddressPool other : pools.values()) {
            if (other.id().equals(ownPool)) {
                continue;
            }
            for (AddressRange o : other.ranges()) {
                long[] or = {Ipv4.parse("range", o.first()), Ipv4.parse("range", o.last())};
                if (overlaps(r, or)) {
                    throw SkiffException.conflict(field, "range " + text(r) + " overlaps range " + text(or)
                            + " of address pool '" + other.id() + "'");
                }
            }
        }
        return r;
    }

    private static boolean overlaps(long[] a, long[] b) {
        return a[0] <= b[1] && b[0] <= a[1];
    }

    private static String text(long[] r) {
        return Ipv4.format(r[0]) + "-" + Ipv4.format(r[1]);
    }

    private static List<AddressRange> normalise(List<long[]> ranges) {
        return ranges.stream().sorted((a, b) -> Long.compare(a[0], b[0]))
                .map(r -> new AddressRange(Ipv4.format(r[0]), Ipv4.format(r[1]))).toList();
    }

    private static List<String> dns(List<String> servers) {
        if (servers == null) {
            return List.of();
        }
        if (servers.size() > MAX_DNS) {
            throw SkiffException.invalid("dnsServers", "at most " + MAX_DNS + " DNS servers");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            out.add(Ipv4.format(Ipv4.parse("dnsServers." + i, servers.get(i))));
        }
        return List.copyOf(out);
    }

    private static String domain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return null;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw SkiffException.invalid("domain", "domain '" + domain + "' is not a DNS name");
        }
        return domain.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public synchronized AddressPool update(String poolId, String gateway, List<String> dnsServers, String domain) {
        AddressPool p = pool(null, poolId);
        long gw = gateway == null ? Ipv4.parse("gateway", p.gateway()) : Ipv4.parse("gateway", gateway);
        for (int i = 0; i < p.ranges().size(); i++) {
            AddressRange r = p.ranges().get(i);
            long first = Ipv4.parse("range", r.first());
            long last = Ipv4.parse("range", r.last());
            if (Ipv4.network(gw, p.prefixLength()) != Ipv4.network(first, p.prefixLength())) {
                throw SkiffException.invalid("gateway", "gateway " + Ipv4.format(gw) + " is outside the subnet "
                        + Ipv4.format(Ipv4.network(first, p.prefixLength())) + "/" + p.prefixLength());
            }
            if (gw >= first && gw <= last) {
                throw SkiffException.invalid("gateway", "gateway " + Ipv4.format(gw) + " lies in range "
                        + r.first() + "-" + r.last());
            }
        }
        AddressPool updated = new AddressPool(p.id(), p.name(), p.ranges(), p.prefixLength(), Ipv4.format(gw),
                dnsServers == null ? p.dnsServers() : dns(dnsServers), domain == null ? p.domain() : domain(domain),
                p.computePools(), p.createdAt());
        save(updated);
        return updated;
    }

    private void save(AddressPool p) {
        store.put(AddressPoolRecords.POOL, p.id(), p);
        pools.put(p.id(), p);
    }

    @Override
    public synchronized void delete(String poolId) {
        pool(null, poolId);
        TreeMap<Long, AddressBinding> b = bound.get(poolId);
        if (b != null && !b.isEmpty()) {
            throw SkiffException.conflict("id", "address pool '" + poolId + "' still has " + b.size()
                    + " bound address(es) (" + b.values().iterator().next().address() + ", ...); delete or move"
                    + " those instances first");
        }
        store.delete(AddressPoolRecords.POOL, poolId);
        pools.remove(poolId);
        bound.remove(poolId);
        LOG.info("address pool {} deleted", poolId);
    }

    @Override
    public synchronized AddressPool addRange(String poolId, AddressRange range) {
        AddressPool p = pool(null, poolId);
        long[] r = checkRange("range", range, Ipv4.parse("gateway", p.gateway()), p.prefixLength(), p.id());
        List<long[]> all = new ArrayList<>();
        for (AddressRange o : p.ranges()) {
            long[] or = {Ipv4.parse("range", o.first()), Ipv4.parse("range", o.last())};
            if (overlaps(r, or)) {
                throw SkiffException.invalid("range", "range " + text(r) + " overlaps range " + text(or)
                        + " of this pool");
            }
            all.add(or);
        }
        if (all.size() >= MAX_RANGES) {
            throw SkiffException.invalid("range", "an address pool has at most " + MAX_RANGES + " ranges");
        }
        all.add(r);
        AddressPool updated = withRanges(p, normalise(all));
        save(updated);
        LOG.info("address pool {}: range {} added", poolId, text(r));
        return updated;
    }

    @Override
    public synchronized AddressPool removeRange(String poolId, AddressRange range) {
        AddressPool p = pool(null, poolId);
        if (range == null) {
            throw SkiffException.invalid("range", "range is required");
        }
        long first = Ipv4.parse("first", range.first());
        long last = Ipv4.parse("last", range.last());
        AddressRange found = p.ranges().stream()
                .filter(r -> Ipv4.parse("range", r.first()) == first && Ipv4.parse("range", r.last()) == last)
                .findFirst().orElseThrow(() -> SkiffException.notFound("range", "range",
                        range.first() + "-" + range.last()));
        if (p.ranges().size() == 1) {
            throw SkiffException.conflict("range", "an address pool keeps at least one range; delete the pool");
        }
        long inUse = bound.get(poolId).subMap(first, true, last, true).size();
        if (inUse > 0) {
            throw SkiffException.conflict("range", "range " + found.first() + "-" + found.last() + " has " + inUse
                    + " bound address(es)");
        }
        List<AddressRange> rest = new ArrayList<>(p.ranges());
        rest.remove(found);
        AddressPool updated = withRanges(p, List.copyOf(rest));
        save(updated);
        return updated;
    }

    private static AddressPool withRanges(AddressPool p, List<AddressRange> ranges) {
        return new AddressPool(p.id(), p.name(), ranges, p.prefixLength(), p.gateway(), p.dnsServers(), p.domain(),
                p.computePools(), p.createdAt());
    }

    private static AddressPool withComputePools(AddressPool p, List<String> computePools) {
        return new AddressPool(p.id(), p.name(), p.ranges(), p.prefixLength(), p.gateway(), p.dnsServers(),
                p.domain(), computePools, p.createdAt());
    }

    @Override
    public synchronized AddressPool attach(String poolId, String computePoolId) {
        AddressPool p = pool(null, poolId);
        if (computePoolId == null || computePoolId.isEmpty()) {
            throw SkiffException.invalid("computePool", "computePool is required");
        }
        ComputePoolService service = computePools;
        if (service != null) {
            try {
                service.get(computePoolId);
            } catch (SkiffException e) {
                throw SkiffException.notFound("computePool", "compute pool", computePoolId);
            }
        }
        for (AddressPool other : pools.values()) {
            if (other.computePools().contains(computePoolId)) {
                if (other.id().equals(poolId)) {
                    return p;
                }
                throw SkiffException.conflict("computePool", "compute pool '" + computePoolId
                        + "' already takes its addresses from address pool '" + other.id() + "'; detach it first");
            }
        }
        List<String> attached = new ArrayList<>(p.computePools());
        attached.add(computePoolId);
        attached.sort(null);
        AddressPool updated = withComputePools(p, List.copyOf(attached));
        save(updated);
        LOG.info("address pool {} attached to compute pool {}", poolId, computePoolId);
        return updated;
    }

    @Override
    public synchronized AddressPool detach(String poolId, String computePoolId) {
        AddressPool p = pool(null, poolId);
        if (!p.computePools().contains(computePoolId)) {
            throw SkiffException.notFound("computePool", "attachment to compute pool", computePoolId);
        }
        List<String> attached = new ArrayList<>(p.computePools());
        attached.remove(computePoolId);
        AddressPool updated = withComputePools(p, List.copyOf(attached));
        save(updated);
        return updated;
    }

    @Override
    public synchronized Optional<AddressPool> forComputePool(String computePoolId) {
        return pools.values().stream().filter(p -> p.computePools().contains(computePoolId)).findFirst();
    }

    // ---- bindings ------------------------------------------------------------------------------------------

    @Override
    public synchronized List<AddressRangeUsage> usage(String poolId) {
        AddressPool p = pool(null, poolId);
        TreeMap<Long, AddressBinding> b = bound.get(poolId);
        List<AddressRangeUsage> out = new ArrayList<>();
        for (AddressRange r : p.ranges()) {
            long first = Ipv4.parse("range", r.first());
            long last = Ipv4.parse("range", r.last());
            long size = last - first + 1;
            long used = b.subMap(first, true, last, true).size();
            out.add(new AddressRangeUsage(r.first(), r.last(), size, used, size - used));
        }
        return out;
    }

    @Override
    public synchronized List<AddressBinding> bindings(String poolId) {
        pool(null, poolId);
        return List.copyOf(bound.get(poolId).values());
    }

    @Override
    public synchronized Optional<AddressBinding> bindingOf(String holder) {
        return Optional.ofNullable(byHolder.get(holder));
    }

    @Override
    public synchronized String allocate(String poolId, String holder, String requested) {
        return bindAddress(poolId, holder, requested).address();
    }

    private AddressBinding bindAddress(String poolId, String holder, String requested) {
        AddressPool p = pool("addressPoolId", poolId);
        if (holder == null || holder.isEmpty()) {
            throw SkiffException.invalid("holder", "holder is required");
        }
        AddressBinding held = byHolder.get(holder);
        if (held != null && !held.poolId().equals(poolId)) {
            throw SkiffException.conflict("addressPoolId", "instance " + holder + " already holds "
                    + held.address() + " of address pool '" + held.poolId() + "'");
        }
        if (requested == null || requested.isEmpty()) {
            if (held != null) {
                return held;
            }
            return bind(p, holder, lowestFree(p), null);
        }
        long address = Ipv4.parse("address", requested);
        if (held != null && Ipv4.parse("address", held.address()) == address) {
            return held;
        }
        checkFree(p, address);
        return bind(p, holder, address, held);
    }

    @Override
    public synchronized void checkAvailable(String poolId, String address) {
        AddressPool p = pool("addressPoolId", poolId);
        if (address != null && !address.isEmpty()) {
            checkFree(p, Ipv4.parse("address", address));
        }
    }

    @Override
    public synchronized AddressBinding rebind(String poolId, String holder, String address) {
        AddressPool p = pool("addressPoolId", poolId);
        AddressBinding held = byHolder.get(holder);
        if (held == null || !held.poolId().equals(poolId)) {
            throw SkiffException.conflict("address", "instance " + holder + " holds no address of address pool '"
                    + poolId + "'");
        }
        long wanted = Ipv4.parse("address", address);
        if (Ipv4.parse("address", held.address()) == wanted) {
            return held;
        }
        checkFree(p, wanted);
        return bind(p, holder, wanted, held);
    }

    private void checkFree(AddressPool p, long address) {
        if (!inRanges(p, address)) {
            throw SkiffException.invalid("address", "address " + Ipv4.format(address) + " is outside the ranges of"
                    + " address pool '" + p.id() + "' (" + ranges(p) + ")");
        }
        AddressBinding other = bound.get(p.id()).get(address);
        if (other != null) {
            throw SkiffException.conflict("address", "address " + Ipv4.format(address) + " is taken by instance "
                    + other.holder());
        }
    }

    private static String ranges(AddressPool p) {
        return String.join(", ", p.ranges().stream().map(r -> r.first() + "-" + r.last()).toList());
    }

    private static boolean inRanges(AddressPool p, long address) {
        for (AddressRange r : p.ranges()) {
            if (address >= Ipv4.parse("range", r.first()) && address <= Ipv4.parse("range", r.last())) {
                return true;
            }
        }
        return false;
    }

    private long lowestFree(AddressPool p) {
        TreeMap<Long, AddressBinding> b = bound.get(p.id());
        for (AddressRange r : p.ranges()) {
            long first = Ipv4.parse("range", r.first());
            long last = Ipv4.parse("range", r.last());
            long candidate = first;
            // walk the bound addresses of the range in order; the first gap is the lowest free address
            for (Long used : b.subMap(first, true, last, true).keySet()) {
                if (used != candidate) {
                    break;
                }
                candidate++;
            }
            if (candidate <= last) {
                return candidate;
            }
        }
        throw SkiffException.conflict("addressPoolId", "address pool '" + p.id() + "' is exhausted: all "
                + usage(p.id()).stream().mapToLong(AddressRangeUsage::size).sum() + " addresses are bound");
    }

    /** Journals the new binding (and the release of the old one) in one entry, then makes it visible. */
    private AddressBinding bind(AddressPool p, String holder, long address, AddressBinding old) {
        AddressBinding binding = new AddressBinding(p.id(), Ipv4.format(address), holder, clock.instant());
        List<StateChange> changes = new ArrayList<>();
        if (old != null) {
            changes.add(StateChange.delete(AddressPoolRecords.BINDING,
                    AddressPoolRecords.bindingId(old.poolId(), old.address())));
        }
        changes.add(StateChange.put(AddressPoolRecords.BINDING,
                AddressPoolRecords.bindingId(p.id(), binding.address()), binding));
        store.commit(changes);
        if (old != null) {
            bound.get(old.poolId()).remove(Ipv4.parse("address", old.address()));
        }
        bound.get(p.id()).put(address, binding);
        byHolder.put(holder, binding);
        LOG.info("address pool {}: {} bound to instance {}{}", p.id(), binding.address(), holder,
                old == null ? "" : " (was " + old.address() + ")");
        return binding;
    }

    @Override
    public synchronized void release(String poolId, String holder) {
        AddressBinding held = byHolder.get(holder);
        if (held == null || (poolId != null && !held.poolId().equals(poolId))) {
            return;
        }
        store.delete(AddressPoolRecords.BINDING, AddressPoolRecords.bindingId(held.poolId(), held.address()));
        TreeMap<Long, AddressBinding> b = bound.get(held.poolId());
        if (b != null) {
            b.remove(Ipv4.parse("address", held.address()));
        }
        byHolder.remove(holder);
        LOG.info("address pool {}: {} released by instance {}", held.poolId(), held.address(), holder);
    }
}
