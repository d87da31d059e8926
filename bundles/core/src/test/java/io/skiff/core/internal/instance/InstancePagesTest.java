package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceFilter;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.InstanceService;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.FakeDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.skiff.core.internal.FakeDirectory.ALICE;
import static io.skiff.core.internal.FakeDirectory.OTTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pages of instances walked along the records' sorted indexes ({@link InstancePages}): the same items, order, cursors
 * and counts as a page cut out of the whole list by {@link InstanceService#ORDER}; a walk while instances come, go and
 * are renamed meets every lasting instance once; filters and visibility apply before the limit. No cell is asked.
 */
@DisplayName("Instance pages from the Core's sorted indexes (unit)")
class InstancePagesTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> SORTS = List.of("name", "-name", "createdAt", "-createdAt", "id", "-id");

    @TempDir
    Path dir;

    private CapabilitiesFixture fixture;
    private InstanceCapabilities instances;
    private final Random random = new Random(17);
    private int created;

    @BeforeEach
    void open() throws Exception {
        InstanceProviders providers = new InstanceProviders();
        providers.setIdentity(FakeDirectory.create());
        fixture = CapabilitiesFixture.open(dir, new InstanceCellProtocolTest.NoCells(), new FakeCellTransport("cell-1"),
                Map.of(), providers, 2);
        instances = fixture.instances();
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
        fixture.store().close();
    }

    /** A new record: names drawn at random (some equal to others' once renamed), times in few distinct seconds. */
    private InstanceRecord add(String owner, InstanceState state) {
        int n = created++;
        String name = "vm-" + Integer.toString(random.nextInt(50_000), 36) + "-" + n;
        Instant at = T.plusSeconds(random.nextInt(5)); // many equal creation times: the id breaks the tie
        InstanceRecord r = new InstanceRecord(String.format(Locale.ROOT, "i-%05d", n),
                spec(name, n % 3 == 0 ? "gpu" : "pool").withLabels(labels(n)), "cell-" + (n % 4), owner, owner.equals("alice") ? "red"
                : "blue", state, null, null, at, at);
        instances.records().save(r);
        return r;
    }

    /** Every second instance is {@code tier=web}, every third {@code tier=db}-less {@code env=prod}. */
    private static Map<String, String> labels(int n) {
        Map<String, String> labels = new java.util.HashMap<>();
        if (n % 2 == 0) {
            labels.put("tier", "web");
        } else if (n % 7 == 0) {
            labels.put("tier", "db");
        }
        if (n % 3 == 0) {
            labels.put("env", "prod");
        }
        return labels;
    }

    private static InstanceSpec spec(String name, String pool) {
        return new InstanceSpec(name, pool, null, 1, 64L << 20, List.of(new DiskSpec(64L << 20, null, null, null)),
                "linux-virtio", null, false, null, null, null);
    }

    private void addMany(int n) {
        for (int i = 0; i < n; i++) {
            add(i % 2 == 0 ? "alice" : "bob", i % 5 == 0 ? InstanceState.STOPPED : InstanceState.RUNNING);
        }
    }

    private Page<InstanceStatus> page(InstanceFilter filter, PageRequest request) {
        return instances.lifecycle().page(filter, request, OTTO);
    }

    private static List<String> ids(Page<InstanceStatus> page) {
        return page.items().stream().map(InstanceStatus::id).toList();
    }

    @Test
    void aPageIsWhatTheWholeListCutByTheSameOrderWouldBe() {
        addMany(300);
        List<InstanceStatus> all = instances.lifecycle().list(OTTO);
        assertEquals(300, all.size());
        InstanceFilter stoppedOnPool = new InstanceFilter(InstanceState.STOPPED, "pool", null, null, null);
        for (InstanceFilter filter : List.of(InstanceFilter.ALL, stoppedOnPool,
                new InstanceFilter(null, null, "cell-2", "alice", "vm-"),
                new InstanceFilter(null, null, null, null, null, Map.of("tier", "web")),
                new InstanceFilter(null, null, null, null, null, Map.of("tier", "", "env", "prod")),
                new InstanceFilter(InstanceState.RUNNING, "gpu", null, null, null, Map.of("env", "prod")))) {
            List<InstanceStatus> matching = all.stream().filter(filter).toList();
            for (String sort : SORTS) {
                String indexCursor = null;
                String listCursor = null;
                do {
                    Page<InstanceStatus> fromIndex = page(filter, new PageRequest(23, indexCursor, sort, true));
                    Page<InstanceStatus> fromList = InstanceService.ORDER.page(matching,
                            new PageRequest(23, listCursor, sort, true));
                    assertEquals(ids(fromList), ids(fromIndex), sort + " " + filter);
                    assertEquals(fromList.nextCursor(), fromIndex.nextCursor(), sort + " " + filter);
                    assertEquals(matching.size(), fromIndex.total(), "counted after a cursor too");
                    indexCursor = fromIndex.nextCursor();
                    listCursor = fromList.nextCursor();
                } while (indexCursor != null);
            }
        }
        assertEquals(all.stream().map(InstanceStatus::id).toList(),
                ids(page(InstanceFilter.ALL, PageRequest.whole("name", false))), "the whole list, by name");
    }

    /**
     * Instances created, deleted and renamed between two pages: every lasting one met once, none twice (a renamed one
     * may be met again under its new name when the walk is by name).
     */
    @Test
    void aWalkMeetsEveryLastingInstanceOnceWhileOthersComeGoAndAreRenamed() {
        addMany(400);
        for (String sort : SORTS) {
            Set<String> lasting = new HashSet<>();
            instances.lifecycle().list(OTTO).forEach(i -> lasting.add(i.id()));
            List<String> seen = new ArrayList<>();
            Set<String> renamedIds = new HashSet<>();
            String cursor = null;
            do {
                Page<InstanceStatus> page = page(InstanceFilter.ALL, new PageRequest(31, cursor, sort, false));
                seen.addAll(ids(page));
                cursor = page.nextCursor();
                for (int k = 0; k < 6; k++) {
                    add("alice", InstanceState.RUNNING);
                    List<InstanceRecord> now = instances.records().list();
                    InstanceRecord gone = now.get(random.nextInt(now.size()));
                    instances.records().remove(gone.id());
                    lasting.remove(gone.id());
                }
                // a rename moves an instance in the name order (only): there it may be met again, or missed
                List<InstanceRecord> now = instances.records().list();
                InstanceRecord renamed = now.get(random.nextInt(now.size()));
                instances.records().saveSpec(renamed, spec("renamed-" + created++, renamed.spec().poolId()));
                if (sort.endsWith("name")) {
                    lasting.remove(renamed.id());
                    renamedIds.add(renamed.id());
                }
            } while (cursor != null);
            List<String> notRenamed = seen.stream().filter(id -> !renamedIds.contains(id)).toList();
            assertEquals(notRenamed.size(), new HashSet<>(notRenamed).size(), sort + ": an instance met twice");
            assertTrue(seen.containsAll(lasting), sort + ": a lasting instance missed");
        }
    }

    @Test
    void theCallerSeesOnlyItsOwnAndTheLimitCountsOnlyThose() {
        addMany(50);
        Page<InstanceStatus> alices = instances.lifecycle().page(InstanceFilter.ALL, new PageRequest(10, null, null,
                true), ALICE);
        assertEquals(10, alices.items().size());
        assertTrue(alices.items().stream().allMatch(i -> i.owner().equals("alice")));
        assertEquals(25, alices.total());
        assertNotNull(alices.nextCursor());
        Page<InstanceStatus> last = page(InstanceFilter.ALL, new PageRequest(50, null, null, false));
        assertNull(last.nextCursor(), "exactly the last item on the page: no empty page after it");
        assertNull(last.total(), "counted only when asked");
    }

    @Test
    void theCountsByStatePoolAndCellAreThoseOfTheStatuses() {
        addMany(120);
        Map<InstanceFilter, Long> fromStatuses = new java.util.HashMap<>();
        for (InstanceStatus i : instances.lifecycle().list()) {
            fromStatuses.merge(new InstanceFilter(i.state(), i.spec().poolId(), i.cellId(), null, null), 1L, Long::sum);
        }
        assertEquals(fromStatuses, instances.lifecycle().counts());
        assertEquals(24L, fromStatuses.entrySet().stream().filter(e -> e.getKey().state() == InstanceState.STOPPED)
                .mapToLong(Map.Entry::getValue).sum());
    }

    @Test
    void labelsChangeOnARunningInstanceAtOnceAndLastAndABadOneChangesNothing() throws Exception {
        InstanceRecord r = add("alice", InstanceState.RUNNING);
        InstanceFilter blue = new InstanceFilter(null, null, null, null, null, Map.of("colour", "blue"));
        assertEquals(0, page(blue, new PageRequest(10, null, null, true)).total());
        InstanceStatus changed = instances.lifecycle().setLabels(r.spec().name(),
                Map.of("colour", "blue", "example.com/team", "core"), ALICE);
        assertEquals(List.of("colour", "example.com/team"), List.copyOf(changed.spec().labels().keySet()));
        assertEquals(List.of(r.id()), ids(page(blue, new PageRequest(10, null, null, true))));
        assertEquals(Map.of("colour", "blue", "example.com/team", "core"),
                instances.records().require(r.id()).spec().labels(), "saved in the record");

        SkiffException bad = assertThrows(SkiffException.class, () -> instances.lifecycle().setLabels(r.id(),
                Map.of("colour", "blue green"), ALICE));
        assertEquals("labels", bad.field());
        assertEquals("bad label key '-x': 1-63 letters, digits, '-', '_', '.' or '/', beginning and ending with a"
                + " letter or digit", assertThrows(SkiffException.class, () -> instances.lifecycle().setLabels(
                r.id(), Map.of("-x", "1"), ALICE)).getMessage());
        assertEquals(SkiffException.Kind.NOT_FOUND, assertThrows(SkiffException.class,
                () -> instances.lifecycle().setLabels(r.id(), Map.of(), FakeDirectory.BOB)).kind(),
                "another tenant's instance is not found");
        assertEquals(Map.of("colour", "blue", "example.com/team", "core"),
                instances.lifecycle().get(r.id(), ALICE).spec().labels(), "nothing changed");

        assertEquals(Map.of(), instances.lifecycle().setLabels(r.id(), null, ALICE).spec().labels(), "all removed");
    }

    @Test
    void aBadSortOrCursorIsRefusedNamingIt() {
        addMany(3);
        assertEquals("sort", assertThrows(SkiffException.class,
                () -> page(InstanceFilter.ALL, new PageRequest(1, null, "colour", false))).field());
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> page(InstanceFilter.ALL, new PageRequest(1, "%%%", null, false))).field());
        String byName = page(InstanceFilter.ALL, new PageRequest(1, null, "name", false)).nextCursor();
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> page(InstanceFilter.ALL, new PageRequest(1, byName, "-name", false))).field());
    }
}
