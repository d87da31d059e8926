package io.skiff.rest.internal;

import io.skiff.api.model.Page;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;

import java.util.List;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.UriInfo;

/**
 * Pages of a list answer over HTTP ({@code GET /instances}, {@code /tasks}, {@code /images}): {@code limit} (default
 * {@value Pager#DEFAULT_LIMIT} once paging, at most {@value Pager#MAX_LIMIT}), an opaque {@code cursor} from the
 * previous page, {@code sort} (a field, {@code -field} for descending) and {@code total=true} for the count of all
 * matching items. The body stays a JSON array; the next page is named by the headers
 * {@code Link: <...>; rel="next"} and {@value #NEXT_CURSOR}, the count by {@value #TOTAL_COUNT}. Without
 * {@code limit} and {@code cursor} the whole (filtered, sorted) list is answered, as before paging existed. What a
 * cursor holds and why a walk never meets an item twice: {@link Pager}.
 */
final class Paging {
    static final String NEXT_CURSOR = "X-Next-Cursor";
    static final String TOTAL_COUNT = "X-Total-Count";

    private Paging() {
    }

    /** What a request asks of a list, as given; {@code null}s where it asks nothing. */
    record Query(String limit, String cursor, String sort, boolean total) {
        boolean paged() {
            return (limit != null && !limit.isEmpty()) || (cursor != null && !cursor.isEmpty());
        }

        /**
         * @return the request for the service: a page, or the whole list when neither limit nor cursor is given
         * @throws SkiffException {@code INVALID limit} for a limit that is not 1 to {@value Pager#MAX_LIMIT}
         */
        PageRequest request() {
            if (!paged()) {
                return PageRequest.whole(sort, total);
            }
            return new PageRequest(pageLimit(), cursor, sort, total);
        }

        private int pageLimit() {
            if (limit == null || limit.isEmpty()) {
                return Pager.DEFAULT_LIMIT;
            }
            int n;
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > Pager.MAX_LIMIT) {
                throw SkiffException.invalid("limit", "limit must be between 1 and " + Pager.MAX_LIMIT);
            }
            return n;
        }
    }

    /** Cuts the page {@code params} ask for out of {@code items}; its next page and count go in the headers. */
    static <T> List<T> answer(Pager<T> pager, List<T> items, PageParams params, UriInfo uri,
                              HttpServletResponse response) {
        return answer(pager.page(items, params.query().request()), uri, response);
    }

    /** Names the next page and the count in the answer's headers; the page's items are its body. */
    static <T> List<T> answer(Page<T> page, UriInfo uri, HttpServletResponse response) {
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
        return page.items();
    }
}
