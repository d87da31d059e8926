package io.skiff.rest.internal;

import io.skiff.api.model.StepInfo;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.BatchService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskEngine;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/batches}: create many instances from one spec, stop or delete a list. One parent task per batch;
 * each item is its own all-or-nothing task, and {@code GET /batches/{id}} shows every item's outcome.
 */
@Component(service = BatchResource.class, property = {RestConstants.RESOURCE, RestConstants.APP_SELECT})
@Path("batches")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BatchResource {

    @Reference
    private BatchService batches;

    @Reference
    private TaskEngine engine;

    @Reference
    private io.skiff.api.service.IdentityService identity;


    @Context
    private SecurityContext security;

    /**
     * A batch request.
     *
     * @param action {@code create}, {@code stop} or {@code delete}
     * @param spec the instance spec of a create (its name is ignored)
     * @param namePattern names of a create, e.g. {@code web-{nn}}
     * @param count how many a create makes
     * @param instances names or ids for stop and delete
     * @param force forced stop; delete of running instances
     */
    public record BatchRequest(String action, Requests.InstanceCreate spec, String namePattern, Integer count,
                               List<String> instances, Boolean force) {
    }

    /**
     * One item of a batch.
     *
     * @param name the instance's name
     * @param state {@code PENDING}, {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
     * @param instanceId the instance, once known
     * @param taskId the item's own task, once queued
     * @param error why it failed
     */
    public record BatchItem(String name, String state, String instanceId, String taskId, String error) {
    }

    /**
     * A batch: its parent task and its items.
     *
     * @param id the parent task's id
     * @param action the task's name, e.g. {@code instance.batch-create}
     * @param state the parent task's state
     * @param progress 0 to 100
     * @param message the latest progress message
     * @param succeeded items that succeeded so far
     * @param failed items that failed so far
     * @param items every item, in order
     */
    public record BatchStatus(String id, String action, String state, int progress, String message, int succeeded,
                              int failed, List<BatchItem> items) {
    }

    @POST
    @RequiresPermission("instance.write")
    public Response create(BatchRequest body) {
        Requests.required(body);
        boolean force = body.force() != null && body.force();
        // the service answers another tenant's instance or image as "not found", as one at a time
        io.skiff.api.service.AuthenticatedUser caller = Callers.current(security, identity);
        TaskInfo task = switch (body.action() == null ? "" : body.action()) {
            case "create" -> {
                if (body.spec() == null) {
                    throw SkiffException.invalid("spec", "a create batch needs the instance spec");
                }
                if (body.count() == null) {
                    throw SkiffException.invalid("count", "count is required");
                }
                Requests.InstanceCreate s = body.spec();
                if (s.media() != null && !s.media().isEmpty()) {
                    throw SkiffException.invalid("spec.media", "a batch does not insert media; insert one into each "
                            + "instance afterwards (POST /instances/{id}/media)");
                }
                Requests.InstanceCreate named = new Requests.InstanceCreate("batch", s.poolId(), s.cellId(), s.cores(),
                        s.memoryBytes(), s.disks(), s.profile(), s.addressPoolId(), s.autoStart(), null, s.guestInit(),
                        s.qos(), null, s.bootFrom(), s.restartPolicy(), s.labels());
                yield batches.createBatch(InstanceResource.toSpec(named), body.namePattern(), body.count(), caller);
            }
            case "stop" -> batches.stopBatch(body.instances(), force, caller);
            case "delete" -> batches.deleteBatch(body.instances(), force, caller);
            default -> throw SkiffException.invalid("action", "action must be create, stop or delete");
        };
        return Response.accepted(status(task)).location(URI.create("batches/" + task.id())).build();
    }

    @GET
    @Path("{id}")
    @RequiresPermission("task.read")
    public BatchStatus get(@PathParam("id") String id) {
        TaskInfo task = engine.get(id).filter(t -> t.name().startsWith("instance.batch-"))
                .orElseThrow(() -> SkiffException.notFound("batch", id));
        return status(task);
    }

    static BatchStatus status(TaskInfo task) {
        List<BatchItem> items = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        for (StepInfo step : task.steps()) {
            if ("summary".equals(step.name())) {
                continue;
            }
            String name = step.data().getOrDefault("item", step.name().replaceFirst("^\\S+ ", ""));
            String outcome = step.data().get("outcome");
            String state = outcome != null ? outcome
                    : switch (step.state()) {
                        case APPLYING -> "RUNNING";
                        case PENDING -> "PENDING";
                        default -> step.state().name();
                    };
            if ("SUCCEEDED".equals(outcome)) {
                ok++;
            } else if ("FAILED".equals(outcome)) {
                failed++;
            }
            items.add(new BatchItem(name, state, step.data().get("instance"), step.data().get("task"),
                    step.data().get("error")));
        }
        boolean finished = task.state() == io.skiff.api.model.TaskState.SUCCEEDED
                || task.state() == io.skiff.api.model.TaskState.FAILED;
        String message = finished ? ok + " of " + items.size() + " succeeded"
                + (failed > 0 ? ", " + failed + " failed (each rolled back)" : "") : task.message();
        return new BatchStatus(task.id(), task.name(), task.state().name(), task.progress(), message, ok,
                failed, items);
    }
}
