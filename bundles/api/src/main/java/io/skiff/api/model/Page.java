package io.skiff.api.model;

import java.util.List;

/**
 * One page of a list (see {@code io.skiff.api.service.Pager}).
 *
 * @param items      the page's items, in the asked order
 * @param nextCursor where the next page starts ({@link PageRequest#cursor()}), {@code null} on the last page
 * @param total      how many items match in all, when the request asked ({@link PageRequest#total()}), else
 *                   {@code null}
 * @param <T>        the listed items
 * @since 2.5
 */
public record Page<T>(List<T> items, String nextCursor, Integer total) {

    public Page {
        items = List.copyOf(items);
    }
}
