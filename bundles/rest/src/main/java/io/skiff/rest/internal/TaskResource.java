package io.skiff.rest.internal;

import io.skiff.api.model.TaskInfo;
import io.skiff.api.model.TaskState;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.SecurityContext;
import io.skiff.api.task.TaskEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code /api/v1/tasks}: multi-step operations with state and progress. */
@Component(service = TaskResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    @Reference
    private TaskEngine engine;

    @Reference
    private IdentityService identity;

    @Context
    private SecurityContext security;

    /** Without resource.all a caller sees only the tasks it started ({@link TaskEngine#list(AuthenticatedUser)}). */
    private List<TaskInfo> visibleTasks() {
        return engine.list(Callers.current(security, identity));
    }

    @GET
    @RequiresPermission("task.read")
    public List<TaskInfo> list(@QueryParam("state") String state) {
        if (state == null || state.isEmpty()) {
            return visibleTasks();
        }
        TaskState wanted;
        try {
            wanted = TaskState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SkiffException.invalid("state", "state must be one of " + Arrays.stream(TaskState.values())
                    .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        return visibleTasks().stream().filter(t -> t.state() == wanted).toList();
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
