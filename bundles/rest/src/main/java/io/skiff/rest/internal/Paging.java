package io.skiff.rest.internal;

import io.skiff.api.service.SkiffException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.UriInfo;

/**
 * Pages of a list answer ({@code GET /instances}, {@code /tasks}, {@code /images}): {@code limit} (default
 * {@value #DEFAULT_LIMIT} once paging, at most {@value #MAX_LIMIT}), an opaque {@code cursor} from the previous page,
 * {@code sort} (a field, {@code -field} for descending) and {@code total=true} for the count of all matching items.
 * The body stays a JSON array; the next page is named by the headers {@code Link: <...>; rel="next"} and
 * {@value #NEXT_CURSOR}, the count by {@value #TOTAL_COUNT}. Without {@code limit} and {@code cursor} the whole
 * (filtered, sorted) list is answered, as before paging existed.
 * <p>
 * The cursor holds the sort and the last item's sort key and id; a page is the items strictly after it in the order
 * (key, id). Sort keys never change for an item (name, creation time, id), so an item that exists during the whole
 * walk is on exactly one page, however many items are created or deleted meanwhile.
 *
 * @param <T> the listed items
 */
final class Paging<T> {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final String NEXT_CURSOR = "X-Next-Cursor";
    static final String TOTAL_COUNT = "X-Total-Count";
    private static final char SEPARATOR = '\n';
    private static final String NOT_OURS = "cursor is not one this list gave out (take it from the " + NEXT_CURSOR
            + " header or the Link header of the previous page)";

    private final Function<T, String> id;
    private final String defaultSort;
    private final Map<String, Function<T, String>> sortKeys;

    /**
     * @param id          an item's unique id, the tie-break of every order
     * @param defaultSort the sort when none is asked for ({@code name}, {@code -createdAt}, ...)
     * @param sortKeys    the fields a list may be sorted by, each an unchanging key compared as text (see
     *                    {@link #instant(Instant)})
     */
    Paging(Function<T, String> id, String defaultSort, Map<String, Function<T, String>> sortKeys) {
        this.id = id;
        this.defaultSort = defaultSort;
        this.sortKeys = new LinkedHashMap<>(sortKeys);
        if (!this.sortKeys.containsKey(field(defaultSort))) {
            throw new IllegalArgumentException("default sort " + defaultSort + " is not among " + sortKeys.keySet());
        }
    }

    /** A sort key of an instant that orders as text: seconds and nanoseconds, zero-padded. */
    static String instant(Instant at) {
        return at == null ? "" : String.format("%020d%09d", at.getEpochSecond() + (1L << 40), at.getNano());
    }

    /** What a request asks of a list; {@code null}s where it asks nothing. */
    record Query(String limit, String cursor, String sort, boolean total) {
        boolean paged() {
            return (limit != null && !limit.isEmpty()) || (cursor != null && !cursor.isEmpty());
        }
    }

    /** One page: its items, the cursor of the next page ({@code null} on the last), the count when asked. */
    record Page<T>(List<T> items, String nextCursor, Integer total) {
    }

    /** Sorts {@code items} and cuts the page {@code query} asks for; a bad limit, sort or cursor is a 400. */
    Page<T> page(List<T> items, Query query) {
        String sort = query.sort() == null || query.sort().isEmpty() ? defaultSort : query.sort();
        Function<T, String> key = sortKeys.get(field(sort));
        if (key == null) {
            throw SkiffException.invalid("sort", "sort must be one of " + String.join(", ", sortKeys.keySet())
                    + " (with - before it for descending)");
        }
        int limit = limit(query);
        Comparator<Position<T>> order = Comparator.<Position<T>, String>comparing(Position::key)
                .thenComparing(Position::id);
        if (sort.startsWith("-")) {
            order = order.reversed();
        }
        List<Position<T>> sorted = new ArrayList<>(items.size());
        for (T item : items) {
            sorted.add(new Position<>(key.apply(item), id.apply(item), item));
        }
        sorted.sort(order);
        int from = 0;
        if (query.cursor() != null && !query.cursor().isEmpty()) {
            from = after(sorted, decode(query.cursor(), sort), order);
        }
        int to = query.paged() ? (int) Math.min(sorted.size(), (long) from + limit) : sorted.size();
        List<T> page = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            page.add(sorted.get(i).item());
        }
        String next = to < sorted.size() && to > from ? encode(sort, sorted.get(to - 1)) : null;
        return new Page<>(page, next, query.total() ? sorted.size() : null);
    }

    /** The page {@code params} ask for, its next page and count set in the answer's headers. */
    List<T> answer(List<T> items, PageParams params, UriInfo uri, HttpServletResponse response) {
        Page<T> page = page(items, params.query());
        headers(page, uri, response);
        return page.items();
    }

    /** Names the next page and the count in the answer's headers; the page's items are its body. */
    static void headers(Page<?> page, UriInfo uri, HttpServletResponse response) {
        if (page.nextCursor() != null) {
            response.setHeader(NEXT_CURSOR, page.nextCursor());
            if (uri != null) {
                response.setHeader(HttpHeaders.LINK, "<" + uri.getRequestUriBuilder()
                        .replaceQueryParam("cursor", page.nextCursor()).build() + ">; rel=\"next\"");
            }
        }
        if (page.total() != null) {
            response.setHeader(TOTAL_COUNT, Integer.toString(page.total()));
        }
    }

    private static int limit(Query query) {
        if (query.limit() == null || query.limit().isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(query.limit().strip());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw SkiffException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static String field(String sort) {
        return sort.startsWith("-") ? sort.substring(1) : sort;
    }

    /** @return the index of the first item after {@code cursor} in {@code sorted} */
    private static <T> int after(List<Position<T>> sorted, Position<T> cursor, Comparator<Position<T>> order) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (order.compare(sorted.get(middle), cursor) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static String encode(String sort, Position<?> last) {
        String plain = sort + SEPARATOR + last.key() + SEPARATOR + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private Position<T> decode(String cursor, String sort) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid("cursor", NOT_OURS);
        }
        // sort and id hold no line break; the key between them may
        int first = plain.indexOf(SEPARATOR);
        int second = plain.lastIndexOf(SEPARATOR);
        if (first < 0 || second == first) {
            throw SkiffException.invalid("cursor", NOT_OURS);
        }
        String cursorSort = plain.substring(0, first);
        if (!cursorSort.equals(sort)) {
            throw SkiffException.invalid("cursor", "the cursor belongs to sort=" + cursorSort
                    + "; ask with that sort, or start again without a cursor");
        }
        return new Position<>(plain.substring(first + 1, second), plain.substring(second + 1), null);
    }

    /** An item with its place in the order ({@code null} item: a cursor's place). */
    private record Position<T>(String key, String id, T item) {
    }
}
