package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.InstanceState;
import io.skiff.api.model.InstanceStatus;
import io.skiff.api.model.MediaImage;
import io.skiff.api.model.TaskInfo;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.InstanceMediaService;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.image.MediaCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * An instance's media CD-ROM drive and what it boots from. An insert reserves the medium first
 * ({@link ReserveMediumStep}), so that deleting it is refused from then on; then the cell changes the drive
 * ({@link ChangeMediaStep}, undone by putting the previous medium back), then the record follows. The reservation, the
 * record step and the delete check all run under the media catalogue's lock (see {@link MediaCatalog#recordInserted}):
 * a delete sees the reservation or the record.
 */
final class InstanceMedia implements InstanceMediaService {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMedia.class);

    private final InstanceRecords records;
    private final InstanceAccess access;
    private final CellReports reports;
    private final InstanceProviders providers;
    private final InstanceTasks tasks;
    private final InstanceSettings settings;
    private final CellSpecs specs;
    private final ReserveMediumStep reserveMedium;
    private final ChangeMediaStep changeMedia;

    InstanceMedia(InstanceRecords records, InstanceAccess access, CellReports reports, InstanceProviders providers,
                  InstanceTasks tasks, InstanceSettings settings, CellSpecs specs, InstanceSteps steps) {
        this.records = records;
        this.access = access;
        this.reports = reports;
        this.providers = providers;
        this.tasks = tasks;
        this.settings = settings;
        this.specs = specs;
        this.reserveMedium = steps.reserveMedium();
        this.changeMedia = steps.changeMedia();
    }

    @Override
    public TaskInfo insertMedia(String idOrName, String mediaIdOrName, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        MediaImage medium = access.requireVisibleMedium(mediaIdOrName, caller);
        return change(r, medium.id(), "insert medium " + medium.name(), "instance.media.insert", caller.name());
    }

    @Override
    public TaskInfo ejectMedia(String idOrName, AuthenticatedUser caller) {
        InstanceRecord r = access.settled(idOrName, caller);
        if (r.spec().media() == null) {
            throw SkiffException.conflict("media", "the media drive of instance '" + r.spec().name()
                    + "' is empty; there is nothing to eject");
        }
        return change(r, null, "eject medium", "instance.media.eject", caller.name());
    }

    private TaskInfo change(InstanceRecord r, String mediaId, String stepName, String taskName, String user) {
        List<TaskStep> steps = new ArrayList<>();
        if (mediaId != null) {
            steps.add(reserveMedium.step(r, mediaId));
        }
        steps.add(changeMedia.step(stepName, r.id(), mediaId));
        steps.add(tasks.noUndo().step("record medium", ctx -> settings.scheduler().locked(() -> {
            Runnable recordIt = () -> {
                InstanceRecord now = records.require(r.id());
                records.saveSpec(now, now.spec().withMedia(mediaId));
                LOG.info("instance {} ({}): media drive {}", now.spec().name(), r.id(),
                        mediaId == null ? "empty" : "holds medium " + mediaId);
            };
            if (mediaId == null) {
                recordIt.run();
            } else {
                providers.media().recordInserted(mediaId, r.id(), recordIt);
            }
            return null;
        })));
        return tasks.submit(taskName, r, user, steps);
    }

    @Override
    public InstanceStatus setBootFrom(String idOrName, String bootFrom, AuthenticatedUser caller) {
        access.require(idOrName, caller); // an instance the caller may not see is not found, whatever it asks
        if (bootFrom == null || bootFrom.isEmpty()) {
            throw SkiffException.invalid("bootFrom", "bootFrom ('disk' or 'cdrom') is required");
        }
        String device = InstanceRequests.bootFrom(bootFrom);
        return settings.scheduler().locked(() -> {
            InstanceRecord r = access.settled(idOrName, caller);
            if (reports.state(r) != InstanceState.STOPPED) {
                throw SkiffException.conflict("instance", "instance '" + r.spec().name()
                        + "' must be stopped to change what it boots from");
            }
            InstanceSpec updated = r.spec().withBootFrom(device);
            settings.calls().domains(r.cellId()).define(specs.of(r.id(), updated));
            InstanceRecord changed = records.saveSpec(r, updated);
            LOG.info("instance {} ({}) boots from {}", updated.name(), r.id(), device);
            return reports.status(changed);
        });
    }
}
