package io.skiff.rest.internal;

import io.skiff.api.model.OperationRecord;
import io.skiff.api.model.PageRequest;
import io.skiff.api.service.OperationLog;
import io.skiff.api.service.OperationQuery;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.BeanParam;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.UriInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/operation-log}: who did what, newest first ({@code sort=time} for oldest first), filtered by time
 * range, user, resource, outcome; in pages of {@code limit} entries ({@value #DEFAULT_LIMIT} when not given), the next
 * one named by a cursor (see {@link Paging}).
 */
@Component(service = OperationLogResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("operation-log")
@Produces(MediaType.APPLICATION_JSON)
public class OperationLogResource {
    static final int DEFAULT_LIMIT = 200;
    private static final Set<String> OUTCOMES = Set.of(OperationRecord.SUCCESS, OperationRecord.DENIED,
            OperationRecord.FAILED);

    @Reference
    private OperationLog log;

    @Context
    private UriInfo uri;

    @Context
    private HttpServletResponse response;

    @GET
    @RequiresPermission("oplog.read")
    public List<OperationRecord> query(@QueryParam("from") String from, @QueryParam("to") String to,
                                       @QueryParam("user") String user, @QueryParam("resource") String resource,
                                       @QueryParam("outcome") String outcome, @BeanParam PageParams page) {
        if (outcome != null && !outcome.isEmpty() && !OUTCOMES.contains(outcome)) {
            throw SkiffException.invalid("outcome", "outcome must be one of success, denied, failed");
        }
        Paging.Query asked = page.query();
        PageRequest request = asked.paged() ? asked.request()
                : new PageRequest(DEFAULT_LIMIT, null, asked.sort(), asked.total());
        // the page's size is the request's: the query's own limit (for query()) plays no part in page()
        OperationQuery query = new OperationQuery(time("from", from), time("to", to), empty(user), empty(resource),
                empty(outcome), 0);
        return Paging.answer(log.page(query, request), uri, response);
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Instant time(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw SkiffException.invalid(field, field + " must be an ISO-8601 instant such as 2026-11-22T05:00:00Z");
        }
    }
}
