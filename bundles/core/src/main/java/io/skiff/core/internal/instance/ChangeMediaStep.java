package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.MediaChange;
import io.skiff.api.service.SkiffException;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell puts a medium into its media drive, or empties it (live when the
 * instance runs, in its definition otherwise), after the medium the drive held is recorded. Undo: the drive gets that
 * medium back (or is emptied; left empty when the medium is gone meanwhile).
 */
final class ChangeMediaStep extends StepKind<ChangeMediaStep.Data> {
    static final String KIND = "media.change";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeMediaStep.class);

    /**
     * @param previousMedia the medium the drive held before, {@code ""} for none (key {@code previousMedia})
     * @param drive how the cell changed it: {@code live} or {@code offline} (key {@code drive})
     */
    record Data(StepTarget target, String previousMedia, String drive) {
        static final String PREVIOUS_MEDIA = "previousMedia";
        static final String DRIVE = "drive";

        static Data read(Map<String, String> data) {
            return new Data(StepTarget.read(data), data.get(PREVIOUS_MEDIA), data.get(DRIVE));
        }

        void writeTo(StepContext context) {
            target.writeTo(context);
            StepData.put(context, PREVIOUS_MEDIA, previousMedia);
            StepData.put(context, DRIVE, drive);
        }
    }

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final CellSpecs specs;

    ChangeMediaStep(InstanceRecords records, InstanceSettings settings, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.specs = specs;
    }

    /** @param mediaId the medium to insert, {@code null} to empty the drive */
    TaskStep step(String name, String id, String mediaId) {
        return step(name, ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            String previous = records.require(id).spec().media();
            new Data(target, previous == null ? "" : previous, null).writeTo(ctx);
            Ack ack = settings.calls().domains(target.cell()).changeMedia(new MediaChange(id, specs.mediaSource(mediaId)));
            new Data(target, previous == null ? "" : previous, ack.detail()).writeTo(ctx);
            ctx.progress(100, (mediaId == null ? "drive emptied " : "medium inserted ") + ack.detail());
        });
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        String id = data.target().instance();
        String previous = data.previousMedia();
        if (data.target().cell() == null || id == null || previous == null) {
            return;
        }
        ImageSource source = null;
        if (!previous.isEmpty()) {
            try {
                source = specs.mediaSource(previous);
            } catch (SkiffException e) {
                LOG.warn("instance {}: medium {} is gone; the drive is left empty", id, previous);
            }
        }
        settings.calls().domains(data.target().cell()).changeMedia(new MediaChange(id, source));
    }
}
