package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceImageService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskRequest;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.Names;
import io.skiff.core.internal.image.ImageCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An instance's system disk and the image catalogue: an image captured from a stopped instance's system disk
 * ({@link CaptureImageStep}, a task on the instance and the image name), and the reset that reinstalls the system disk
 * from the image it was made from, keeping the instance's identity, data disks and seed.
 */
final class SystemDiskImages implements InstanceImageService {
    private static final Logger LOG = LoggerFactory.getLogger(SystemDiskImages.class);

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final CellSpecs specs;
    private final ImageCatalog images;
    private final InstanceSnapshots snapshots;
    private final CaptureImageStep capture;

    SystemDiskImages(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceTasks tasks,
                     InstanceSettings settings, CellSpecs specs, ImageCatalog images, InstanceSnapshots snapshots,
                     InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.tasks = tasks;
        this.settings = settings;
        this.specs = specs;
        this.images = images;
        this.snapshots = snapshots;
        this.capture = steps.captureImage();
    }

    @Override
    public TaskInfo captureImage(String idOrName, String imageName, List<String> tags, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        Names.require("name", imageName);
        for (String tag : tags) {
            Names.require("tags", tag);
        }
        if (reports.state(r) != InstanceState.STOPPED) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' must be stopped to build an image from its disk");
        }
        if (images.list().stream().anyMatch(i -> i.name().equals(imageName))) {
            throw SkiffException.conflict("name", "image '" + imageName + "' already exists");
        }
        String imageId = UUID.randomUUID().toString();
        TaskInfo task = tasks.engine().submit(new TaskRequest("image.capture", Set.of("instance:" + r.id(),
                "image:" + imageName), caller.name(), List.of(capture.step(r.id(), imageId, imageName, tags, caller))));
        LOG.info("instance {} ({}): image {} capture queued as task {}", r.spec().name(), r.id(), imageName,
                task.id());
        return task;
    }

    @Override
    public TaskInfo resetSystem(String idOrName, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        if (r.spec().disks().get(0).imageId() == null) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' has a blank system disk, not one from an image: there is nothing to reinstall");
        }
        images.get(r.spec().disks().get(0).imageId()); // 404 when the image is gone
        if (!snapshots.of(r).isEmpty()) {
            throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                    + "' has snapshots of its system disk; delete them before resetting the system");
        }
        boolean wasRunning = reports.state(r) == InstanceState.RUNNING;
        List<TaskStep> steps = new ArrayList<>();
        steps.add(tasks.mark(r.id(), InstanceState.STOPPING));
        steps.add(tasks.cellAction("force off", r.id(), (calls, cell) -> calls.domains(cell).stop(new InstanceAction(r.id(), 0, true))));
        steps.add(tasks.noUndo().step("reinstall system disk", ctx -> {
            StepTarget target = StepTarget.record(ctx, records, r.id());
            ctx.progress(0, "new system disk from image " + r.spec().disks().get(0).imageId());
            settings.calls().volumes(target.cell()).resetSystemDisk(specs.of(r.id(), records.require(r.id()).spec()));
            ctx.progress(100, "system disk reinstalled");
        }));
        if (wasRunning) {
            steps.add(tasks.cellAction("start domain", r.id(), (calls, cell) -> calls.domains(cell).start(InstanceAction.of(r.id()))));
        }
        InstanceState after = wasRunning ? InstanceState.RUNNING : InstanceState.STOPPED;
        steps.add(tasks.done(r.id(), after));
        return tasks.submit("instance.reset-system", r, caller.name(), steps);
    }
}
