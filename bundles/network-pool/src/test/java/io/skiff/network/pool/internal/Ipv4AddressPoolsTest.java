package io.skiff.network.pool.internal;

import io.skiff.api.model.AddressBinding;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.AddressRange;
import io.skiff.api.model.AddressRangeUsage;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4AddressPoolsTest {
    private final MemoryStateStore store = new MemoryStateStore();
    private final Ipv4AddressPools pools = new Ipv4AddressPools(store);

    private static AddressPool spec(String name, String gateway, int prefix, String... ranges) {
        List<AddressRange> list = new ArrayList<>();
        for (String r : ranges) {
            String[] ends = r.split("-");
            list.add(new AddressRange(ends[0], ends[1]));
        }
        return new AddressPool(null, name, list, prefix, gateway, List.of("10.254.81.1"), "skiff.test");
    }

    private AddressPool lan() {
        return pools.create(spec("lan", "10.254.81.1", 24, "10.254.81.10-10.254.81.12", "10.254.81.100-10.254.81.101"));
    }

    private static SkiffException refused(SkiffException.Kind kind, String field, Executable call) {
        SkiffException e = assertThrows(SkiffException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    @Test
    void allocatesTheLowestFreeAddressAndKeepsAHolderOnItsAddress() {
        lan();
        assertEquals("10.254.81.10", pools.allocate("lan", "i-1", null));
        assertEquals("10.254.81.11", pools.allocate("lan", "i-2", null));
        assertEquals("10.254.81.10", pools.allocate("lan", "i-1", null), "idempotent for a holder");
        assertEquals("10.254.81.101", pools.allocate("lan", "i-3", "10.254.81.101"));
        assertEquals("10.254.81.101", pools.bindingOf("i-3").orElseThrow().address());
        List<AddressRangeUsage> usage = pools.usage("lan");
        assertEquals(new AddressRangeUsage("10.254.81.10", "10.254.81.12", 3, 2, 1), usage.get(0));
        assertEquals(new AddressRangeUsage("10.254.81.100", "10.254.81.101", 2, 1, 1), usage.get(1));
    }

    @Test
    void releaseFreesTheAddressForTheNextInstance() {
        lan();
        pools.allocate("lan", "i-1", null);
        pools.allocate("lan", "i-2", null);
        pools.release("lan", "i-1");
        pools.release("lan", "i-1"); // tolerated
        pools.release("lan", "never-held");
        assertTrue(pools.bindingOf("i-1").isEmpty());
        assertEquals("10.254.81.10", pools.allocate("lan", "i-3", null));
    }

    @Test
    void exhaustionIsAConflictAndChangesNothing() {
        lan();
        for (int i = 0; i < 5; i++) {
            pools.allocate("lan", "i-" + i, null);
        }
        int commits = store.commits.get();
        SkiffException e = refused(SkiffException.Kind.CONFLICT, "addressPoolId", () -> pools.allocate("lan", "i-9", null));
        assertTrue(e.getMessage().contains("exhausted"), e.getMessage());
        assertEquals(commits, store.commits.get());
        assertEquals(5, pools.bindings("lan").size());
    }

    @Test
    void requestedAddressMustBeFreeWellFormedAndInsideThePool() {
        lan();
        pools.allocate("lan", "i-1", "10.254.81.11");
        refused(SkiffException.Kind.CONFLICT, "address", () -> pools.allocate("lan", "i-2", "10.254.81.11"));
        refused(SkiffException.Kind.INVALID, "address", () -> pools.allocate("lan", "i-2", "10.254.81.50"));
        refused(SkiffException.Kind.INVALID, "address", () -> pools.allocate("lan", "i-2", "10.254.81.300"));
        refused(SkiffException.Kind.INVALID, "address", () -> pools.allocate("lan", "i-2", "10.254.81"));
        refused(SkiffException.Kind.NOT_FOUND, "addressPoolId", () -> pools.allocate("nope", "i-2", null));
        assertEquals(1, pools.bindings("lan").size());
    }

    @Test
    void rebindMovesTheHolderAndFreesTheOldAddress() {
        lan();
        pools.allocate("lan", "i-1", null);
        pools.allocate("lan", "i-2", null);
        refused(SkiffException.Kind.CONFLICT, "address", () -> pools.rebind("lan", "i-1", "10.254.81.11"));
        AddressBinding moved = pools.rebind("lan", "i-1", "10.254.81.100");
        assertEquals("10.254.81.100", moved.address());
        assertEquals("10.254.81.10", pools.allocate("lan", "i-3", null));
        assertEquals(Set.of("10.254.81.10", "10.254.81.11", "10.254.81.100"),
                new HashSet<>(pools.bindings("lan").stream().map(AddressBinding::address).toList()));
    }

    @Test
    void badPoolsAreRefusedNamingTheField() {
        refused(SkiffException.Kind.INVALID, "gateway", () -> pools.create(spec("a", "10.254.82.1", 24, "10.254.81.10-10.254.81.20")));
        refused(SkiffException.Kind.INVALID, "gateway", () -> pools.create(spec("a", "10.254.81", 24, "10.254.81.10-10.254.81.20")));
        refused(SkiffException.Kind.INVALID, "ranges.1", () -> pools.create(spec("a", "10.254.81.1", 24,
                "10.254.81.10-10.254.81.20", "10.254.81.20-10.254.81.30")));
        refused(SkiffException.Kind.INVALID, "ranges.0", () -> pools.create(spec("a", "10.254.81.1", 24, "10.254.81.20-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "ranges.0", () -> pools.create(spec("a", "10.254.81.1", 24, "10.254.81.0-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "ranges.0", () -> pools.create(spec("a", "10.254.81.5", 24, "10.254.81.2-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "ranges.0.first", () -> pools.create(spec("a", "10.254.81.1", 24, "10.254.081.2-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "prefixLength", () -> pools.create(spec("a", "10.254.81.1", 31, "10.254.81.2-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "name", () -> pools.create(spec("a b", "10.254.81.1", 24, "10.254.81.2-10.254.81.10")));
        refused(SkiffException.Kind.INVALID, "ranges", () -> pools.create(spec("a", "10.254.81.1", 24)));
        assertTrue(pools.list().isEmpty());
        assertEquals(0, store.commits.get());
    }

    @Test
    void rangesMayNotOverlapAnotherPoolsRanges() {
        lan();
        refused(SkiffException.Kind.CONFLICT, "ranges.0", () -> pools.create(spec("other", "10.254.81.1", 24,
                "10.254.81.12-10.254.81.40")));
        refused(SkiffException.Kind.CONFLICT, "name", () -> pools.create(spec("lan", "10.254.81.1", 24,
                "10.254.81.200-10.254.81.210")));
        pools.create(spec("other", "10.254.81.1", 24, "10.254.81.13-10.254.81.40"));
        refused(SkiffException.Kind.CONFLICT, "range", () -> pools.addRange("other", new AddressRange("10.254.81.95", "10.254.81.100")));
        refused(SkiffException.Kind.INVALID, "range", () -> pools.addRange("other", new AddressRange("10.254.81.40", "10.254.81.41")));
        assertEquals(2, pools.addRange("other", new AddressRange("10.254.81.41", "10.254.81.50")).ranges().size());
    }

    @Test
    void aPoolWithBoundAddressesIsNotDeletedAndARangeInUseIsKept() {
        lan();
        pools.allocate("lan", "i-1", "10.254.81.100");
        refused(SkiffException.Kind.CONFLICT, "id", () -> pools.delete("lan"));
        refused(SkiffException.Kind.CONFLICT, "range", () -> pools.removeRange("lan", new AddressRange("10.254.81.100", "10.254.81.101")));
        assertEquals(1, pools.removeRange("lan", new AddressRange("10.254.81.10", "10.254.81.12")).ranges().size());
        pools.release("lan", "i-1");
        pools.delete("lan");
        assertTrue(pools.list().isEmpty());
    }

    @Test
    void attachingToComputePools() {
        lan();
        pools.create(spec("other", "10.254.82.1", 24, "10.254.82.10-10.254.82.20"));
        pools.attach("lan", "vms");
        assertEquals("lan", pools.forComputePool("vms").orElseThrow().id());
        refused(SkiffException.Kind.CONFLICT, "computePool", () -> pools.attach("other", "vms"));
        pools.detach("lan", "vms");
        assertTrue(pools.forComputePool("vms").isEmpty());
        pools.attach("other", "vms");
        assertEquals("other", pools.forComputePool("vms").orElseThrow().id());
    }

    @Test
    void aFailedJournalWriteChangesNothing() {
        lan();
        store.failNext = true;
        assertThrows(IllegalStateException.class, () -> pools.allocate("lan", "i-1", null));
        assertTrue(pools.bindingOf("i-1").isEmpty());
        assertEquals("10.254.81.10", pools.allocate("lan", "i-2", null));
    }

    @Test
    void stateSurvivesARestartOfTheProvider() {
        lan();
        pools.allocate("lan", "i-1", null);
        pools.attach("lan", "vms");
        Ipv4AddressPools again = new Ipv4AddressPools(store);
        assertEquals("10.254.81.10", again.bindingOf("i-1").orElseThrow().address());
        assertEquals("10.254.81.11", again.allocate("lan", "i-2", null));
        assertEquals("lan", again.forComputePool("vms").orElseThrow().id());
    }

    @Test
    void concurrentAllocationsNeverHandOutAnAddressTwice() throws Exception {
        pools.create(spec("big", "10.254.81.1", 24, "10.254.81.2-10.254.81.201"));
        int threads = 8;
        int perThread = 30; // 240 requests for 200 addresses
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(executor.submit((Callable<List<String>>) () -> {
                go.await();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    try {
                        got.add(pools.allocate("big", "t" + thread + "-" + i, null));
                    } catch (SkiffException e) {
                        assertEquals(SkiffException.Kind.CONFLICT, e.kind());
                    }
                }
                return got;
            }));
        }
        go.countDown();
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : results) {
            all.addAll(f.get());
        }
        executor.shutdown();
        assertEquals(200, all.size());
        assertEquals(200, new HashSet<>(all).size(), "an address was handed out twice");
        assertEquals(200, pools.bindings("big").size());
        assertFalse(pools.usage("big").isEmpty());
        assertEquals(0, pools.usage("big").get(0).free());
    }
}
