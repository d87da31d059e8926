package io.skiff.api.service;

import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The order of a list and how it is cut into pages ({@link PageRequest}, {@link Page}), the same for every list the
 * API answers in pages ({@code GET /instances}, {@code /tasks}, {@code /images}, {@code skiff:instance-list}).
 * <p>
 * A list may be sorted by a few fields, each a text key of an item ({@link #instantKey} for times); equal keys are
 * ordered by the item's id, so the order (key, id) is total. A cursor holds the sort and the last item's key and id,
 * and a page is the items strictly after it in that order. An item that exists during a whole walk of the pages is
 * therefore on exactly one page, however many items are created or deleted meanwhile; only an item whose key changes
 * during the walk (an instance renamed while the walk is by name) may be met again at its new place, or missed. Cursors
 * are opaque to callers (URL-safe base64); one given out for another sort, or not by a pager at all, is refused
 * ({@code INVALID cursor}).
 * <p>
 * {@link #page(List, PageRequest)} cuts a page out of a list held in memory (sorting it first). A service whose list
 * is long keeps its items in sorted indexes instead and uses {@link #order}, {@link #after} and {@link #cursorAfter}
 * to walk only the page.
 *
 * @param <T> the listed items
 * @since 2.4
 */
public final class Pager<T> {
    /** Items of a page when the caller names no limit. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    private static final char SEPARATOR = '\n';
    private static final String NOT_OURS = "cursor is not one this list gave out (take it from the previous page)";

    private final Function<T, String> id;
    private final String defaultSort;
    private final Map<String, Function<T, String>> sortKeys;

    /**
     * @param id          an item's unique id, the tie-break of every order
     * @param defaultSort the sort when none is asked for ({@code name}, {@code -createdAt}, ...)
     * @param sortKeys    the fields a list may be sorted by, each an unchanging key compared as text
     */
    public Pager(Function<T, String> id, String defaultSort, Map<String, Function<T, String>> sortKeys) {
        this.id = Objects.requireNonNull(id, "id");
        this.defaultSort = defaultSort;
        this.sortKeys = new LinkedHashMap<>(sortKeys);
        if (!this.sortKeys.containsKey(new Order(defaultSort).field())) {
            throw new IllegalArgumentException("default sort " + defaultSort + " is not among " + sortKeys.keySet());
        }
    }

    /** A sort key of an instant that orders as text: seconds and nanoseconds, zero-padded. */
    public static String instantKey(Instant at) {
        if (at == null) {
            return "";
        }
        // seconds shifted by 2^40 so that times before 1970 are positive too (a Core makes 100,000 keys at start)
        StringBuilder key = new StringBuilder(29);
        zeroPadded(key, Long.toString(at.getEpochSecond() + (1L << 40)), 20);
        zeroPadded(key, Integer.toString(at.getNano()), 9);
        return key.toString();
    }

    private static void zeroPadded(StringBuilder to, String digits, int width) {
        for (int i = digits.length(); i < width; i++) {
            to.append('0');
        }
        to.append(digits);
    }

    /** A sort: the field and the direction. */
    public record Order(String sort, String field, boolean descending) {
        Order(String sort) {
            this(sort, sort.startsWith("-") ? sort.substring(1) : sort, sort.startsWith("-"));
        }
    }

    /**
     * A place in an order: an item's sort key and id. Positions compare by key, then id (ascending; a descending
     * order walks them backwards).
     */
    public record Position(String key, String id) implements Comparable<Position> {
        private static final Comparator<Position> ORDER = Comparator.comparing(Position::key)
                .thenComparing(Position::id);

        @Override
        public int compareTo(Position other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * @param sort a field, {@code -field} for descending; {@code null} or empty for the default
     * @throws SkiffException {@code INVALID sort} when the list cannot be sorted so
     */
    public Order order(String sort) {
        Order order = new Order(sort == null || sort.isEmpty() ? defaultSort : sort);
        if (!sortKeys.containsKey(order.field())) {
            throw SkiffException.invalid("sort", "sort must be one of " + String.join(", ", sortKeys.keySet())
                    + " (with - before it for descending)");
        }
        return order;
    }

    /** @return the item's place in the order */
    public Position position(Order order, T item) {
        return new Position(sortKeys.get(order.field()).apply(item), id.apply(item));
    }

    /**
     * @return where the request's cursor says the previous page ended, {@code null} when it has none
     * @throws SkiffException {@code INVALID cursor} when the cursor is not one of this list's or was given out for
     *     another sort
     */
    public Position after(PageRequest request, Order order) {
        String cursor = request.cursor();
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
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
        if (!cursorSort.equals(order.sort())) {
            throw SkiffException.invalid("cursor", "the cursor belongs to sort=" + cursorSort
                    + "; ask with that sort, or start again without a cursor");
        }
        return new Position(plain.substring(first + 1, second), plain.substring(second + 1));
    }

    /**
     * @return the refusal of a cursor that this list did not give out ({@code INVALID cursor}), for a list that reads
     *     more of a cursor than {@link #after} does (since 2.6 of this package)
     */
    public static SkiffException foreignCursor() {
        return SkiffException.invalid("cursor", NOT_OURS);
    }

    /** @return the cursor of the page that starts after {@code last} */
    public String cursorAfter(Order order, T last) {
        Position p = position(order, last);
        String plain = order.sort() + SEPARATOR + p.key() + SEPARATOR + p.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sorts {@code items} and cuts the page the request asks for.
     *
     * @throws SkiffException {@code INVALID sort} or {@code INVALID cursor}
     */
    public Page<T> page(List<T> items, PageRequest request) {
        Order order = order(request.sort());
        Comparator<Placed<T>> comparator = Comparator.comparing(Placed::position);
        if (order.descending()) {
            comparator = comparator.reversed();
        }
        List<Placed<T>> sorted = new ArrayList<>(items.size());
        for (T item : items) {
            sorted.add(new Placed<>(position(order, item), item));
        }
        sorted.sort(comparator);
        Position after = after(request, order);
        int from = after == null ? 0 : firstAfter(sorted, new Placed<>(after, null), comparator);
        int to = (int) Math.min(sorted.size(), (long) from + request.limit());
        List<T> page = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            page.add(sorted.get(i).item());
        }
        String next = to < sorted.size() && to > from ? cursorAfter(order, sorted.get(to - 1).item()) : null;
        return new Page<>(page, next, request.total() ? sorted.size() : null);
    }

    /** @return the index of the first item after {@code cursor} in {@code sorted} */
    private static <T> int firstAfter(List<Placed<T>> sorted, Placed<T> cursor, Comparator<Placed<T>> order) {
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

    /** An item with its place in the order ({@code null} item: a cursor's place). */
    private record Placed<T>(Position position, T item) {
    }
}
