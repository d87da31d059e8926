package io.skiff.api.model;

/**
 * What a caller asks of a long list: at most {@code limit} items after {@code cursor} (an opaque position a previous
 * page gave out; {@code null} for the first page) in the order {@code sort} (a field, {@code -field} for descending;
 * {@code null} for the list's default), and, when {@code total}, the count of every matching item. See
 * {@code io.skiff.api.service.Pager} for what the parts mean and how a page is cut.
 *
 * @param limit  at most this many items; {@link #whole} asks for every item
 * @param cursor where the previous page ended, or {@code null}
 * @param sort   the order, or {@code null} for the list's default
 * @param total  whether to count every matching item
 * @since 2.5
 */
public record PageRequest(int limit, String cursor, String sort, boolean total) {

    public PageRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
    }

    /** The first page of {@code limit} items in the list's default order, uncounted. */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, null, null, false);
    }

    /** Every item, in the order {@code sort} ({@code null}: the default), counted when {@code total}. */
    public static PageRequest whole(String sort, boolean total) {
        return new PageRequest(Integer.MAX_VALUE, null, sort, total);
    }

    /** @return whether this asks for every item rather than a page */
    public boolean isWhole() {
        return limit == Integer.MAX_VALUE && (cursor == null || cursor.isEmpty());
    }
}
