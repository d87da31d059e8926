package io.skiff.rest.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.Pager;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.BeanParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/tasks}: multi-step operations with state and progress. */
@Component(service = TaskResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {
    private static final Pager<TaskInfo> PAGER = new Pager<>(TaskInfo::id, "-createdAt", Map.of(
            "createdAt", t -> Pager.instantKey(t.createdAt()), "id", TaskInfo::id));

    @Reference
    private TaskEngine engine;

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    @Context
    private HttpServletResponse response;

    @Context
    private UriInfo uri;

    /** Without resource.all a caller sees only the tasks it started ({@link TaskEngine#list(AuthenticatedUser)}). */
    private List<TaskInfo> visibleTasks() {
        return engine.list(Callers.current(security, identity));
    }

    /**
     * The tasks the caller may see, newest first (or {@code sort}: {@code createdAt}, {@code id}, {@code -} before
     * for descending), filtered by {@code state}, task {@code name} ({@code instance.create}, ...), {@code user} and
     * {@code resource} ({@code instance:<id>}, ...); paged with {@code limit} and {@code cursor} (see {@link Paging}).
     */
    @GET
    @RequiresPermission("task.read")
    public List<TaskInfo> list(@QueryParam("state") String state, @QueryParam("name") String name,
                               @QueryParam("user") String user, @QueryParam("resource") String resource,
                               @BeanParam PageParams page) {
        TaskState wanted = Filters.constant("state", state, TaskState.class);
        List<TaskInfo> matching = visibleTasks().stream()
                .filter(t -> wanted == null || t.state() == wanted)
                .filter(t -> Filters.equal(name, t.name()))
                .filter(t -> Filters.equal(user, t.user()))
                .filter(t -> resource == null || resource.isEmpty() || t.resources().contains(resource))
                .toList();
        return Paging.answer(PAGER, matching, page, uri, response);
    }

    @GET
    @Path("{id}")
    @RequiresPermission("task.read")
    public TaskInfo get(@PathParam("id") String id) {
        return engine.get(id, Callers.current(security, identity))
                .orElseThrow(() -> SkiffException.notFound("task", id));
    }

    /**
     * Rolls back again a task whose rollback failed ({@code ROLLBACK_FAILED}): 202 with the task, now
     * {@code ROLLING_BACK}; 409 (field {@code state}) for a task in another state.
     */
    @POST
    @Path("{id}/retry-rollback")
    @RequiresPermission("task.rollback")
    public Response retryRollback(@PathParam("id") String id) {
        TaskInfo task = get(id);
        AuthenticatedUser caller = Callers.current(security, identity);
        TaskInfo retried = engine.retryRollback(task.id(), caller.name());
        return Response.accepted(retried).location(URI.create("tasks/" + retried.id())).build();
    }
}
