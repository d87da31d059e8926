package io.skiff.rest.internal;

import io.skiff.api.model.Page;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagingTest {

    private record Item(String id, String name, Instant createdAt) {
    }

    private static final Pager<Item> PAGER = new Pager<>(Item::id, "name", Map.of(
            "name", Item::name, "createdAt", i -> Pager.instantKey(i.createdAt()), "id", Item::id));

    /** What a list resource answers: the request parsed from the query, the page cut by the list's pager. */
    private static Page<Item> page(List<Item> items, Paging.Query query) {
        return PAGER.page(items, query.request());
    }

    private static List<Item> items(int n) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new Item(String.format("id-%03d", i), String.format("vm-%03d", n - i),
                    Instant.ofEpochSecond(1_000, i)));
        }
        Collections.shuffle(items, new Random(7));
        return items;
    }

    private static Paging.Query query(Integer limit, String cursor, String sort, boolean total) {
        return new Paging.Query(limit == null ? null : limit.toString(), cursor, sort, total);
    }

    @Test
    void withoutLimitOrCursorTheWholeListIsAnsweredSorted() {
        Page<Item> page = page(items(250), query(null, null, null, false));
        assertEquals(250, page.items().size());
        assertEquals("vm-001", page.items().get(0).name());
        assertNull(page.nextCursor());
        assertNull(page.total(), "only when asked");
    }

    @Test
    void pagesFollowEachOtherWithTheDefaultLimitAndCount() {
        List<Item> all = items(250);
        Page<Item> first = page(all, query(null, "", "-createdAt", true));
        assertEquals(250, first.total());
        Page<Item> paged = page(all, query(Pager.DEFAULT_LIMIT, null, "-createdAt", true));
        assertEquals(Pager.DEFAULT_LIMIT, paged.items().size());
        assertEquals("id-249", paged.items().get(0).id(), "newest first");
        Page<Item> second = page(all, query(Pager.DEFAULT_LIMIT, paged.nextCursor(), "-createdAt",
                false));
        assertEquals("id-149", second.items().get(0).id());
        Page<Item> third = page(all, query(Pager.DEFAULT_LIMIT, second.nextCursor(), "-createdAt",
                false));
        assertEquals(50, third.items().size());
        assertEquals("id-000", third.items().get(49).id());
        assertNull(third.nextCursor(), "the last page names no next one");
    }

    @Test
    void aLimitThatFillsTheLastPageExactlyNamesNoEmptyPageAfterIt() {
        List<Item> all = items(20);
        Page<Item> first = page(all, query(10, null, null, false));
        assertNotNull(first.nextCursor());
        Page<Item> second = page(all, query(10, first.nextCursor(), null, false));
        assertEquals(10, second.items().size());
        assertNull(second.nextCursor());
    }

    /**
     * Items created and deleted while a client walks the pages: every item that exists during the whole walk is seen
     * exactly once; nothing is seen twice.
     */
    @Test
    void aWalkSeesEveryLastingItemOnceWhileOthersComeAndGo() {
        Random random = new Random(42);
        List<Item> live = new ArrayList<>(items(500));
        Set<String> lasting = new HashSet<>();
        live.forEach(i -> lasting.add(i.id()));
        int next = 1_000;
        for (String sort : List.of("name", "-name", "createdAt", "-createdAt", "id")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<Item> page = page(live, query(37, cursor, sort, false));
                page.items().forEach(i -> seen.add(i.id()));
                cursor = page.nextCursor();
                for (int k = 0; k < 5; k++) { // others come and go between two pages
                    Item fresh = new Item("id-" + next, "vm-" + Integer.toString(random.nextInt(999), 36),
                            Instant.ofEpochSecond(1_000 + random.nextInt(3), next++));
                    live.add(fresh);
                    Item gone = live.remove(random.nextInt(live.size()));
                    lasting.remove(gone.id());
                }
            } while (cursor != null);
            assertEquals(seen.size(), new HashSet<>(seen).size(), sort + ": an item seen twice");
            assertTrue(seen.containsAll(lasting), sort + ": a lasting item missed");
        }
    }

    @Test
    void badLimitSortOrCursorIsA400NamingTheField() {
        List<Item> all = items(3);
        for (int limit : new int[] {0, -1, Pager.MAX_LIMIT + 1}) {
            SkiffException e = assertThrows(SkiffException.class, () -> page(all, query(limit, null, null,
                    false)));
            assertEquals("limit", e.field());
            assertEquals(SkiffException.Kind.INVALID, e.kind());
        }
        assertEquals("limit", assertThrows(SkiffException.class,
                () -> page(all, new Paging.Query("ten", null, null, false))).field());
        assertEquals("sort", assertThrows(SkiffException.class,
                () -> page(all, query(1, null, "colour", false))).field());
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> page(all, query(1, "%%%", null, false))).field());
        assertEquals("cursor", assertThrows(SkiffException.class,
                () -> page(all, query(1, "bm9uZQ", null, false))).field(), "base64 of 'none'");
        String byName = page(all, query(1, null, "name", false)).nextCursor();
        SkiffException otherSort = assertThrows(SkiffException.class,
                () -> page(all, query(1, byName, "-name", false)));
        assertEquals("cursor", otherSort.field());
        assertTrue(otherSort.getMessage().contains("sort=name"), otherSort.getMessage());
    }

    @Test
    void instantKeysSortAsTime() {
        Instant at = Instant.parse("2026-12-07T16:50:00.000012Z");
        assertEquals(String.format("%020d%09d", at.getEpochSecond() + (1L << 40), at.getNano()), Pager.instantKey(at),
                "the key cursors given out before hold");
        assertTrue(Pager.instantKey(Instant.parse("2026-01-01T00:00:00Z"))
                .compareTo(Pager.instantKey(Instant.parse("2026-01-01T00:00:00.5Z"))) < 0);
        assertTrue(Pager.instantKey(Instant.parse("1969-12-31T23:59:59Z"))
                .compareTo(Pager.instantKey(Instant.parse("1970-01-01T00:00:00Z"))) < 0);
        assertEquals("", Pager.instantKey(null));
    }
}
