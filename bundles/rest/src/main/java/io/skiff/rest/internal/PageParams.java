package io.skiff.rest.internal;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.QueryParam;

/**
 * The paging part of a list request, shared by the list resources as a {@code @BeanParam}:
 * {@code ?limit=&cursor=&sort=&total=} (see {@link Paging}).
 */
public class PageParams {
    /** text, so that a limit that is not a number is a 400 naming it (JAX-RS would answer 404) */
    @QueryParam("limit")
    private String limit;

    @QueryParam("cursor")
    private String cursor;

    @QueryParam("sort")
    private String sort;

    @QueryParam("total")
    @DefaultValue("false")
    private boolean total;

    public PageParams() {
    }

    Paging.Query query() {
        return new Paging.Query(limit, cursor, sort, total);
    }
}
