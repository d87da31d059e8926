package io.skiff.core.internal.instance;

import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.image.MediaCatalog;

import java.util.Map;

/**
 * The kind {@value #KIND}, the first step of an insert: reserves the medium for the instance, so that deleting it is
 * refused from then on (see {@link MediaCatalog#reserve}). Undo: the reservation ends (after a restart there is none
 * any more: nothing to do).
 */
final class ReserveMediumStep extends StepKind<ReserveMediumStep.Data> {
    static final String KIND = "media.reserve";

    /** @param medium the reserved medium's id (key {@code reservedMedia}) */
    record Data(StepTarget target, String medium) {
        static final String RESERVED_MEDIA = "reservedMedia";

        static Data read(Map<String, String> data) {
            return new Data(StepTarget.read(data), data.get(RESERVED_MEDIA));
        }

        void writeTo(StepContext context) {
            target.writeTo(context);
            StepData.put(context, RESERVED_MEDIA, medium);
        }
    }

    private final InstanceRecords records;
    private final InstanceProviders providers;

    ReserveMediumStep(InstanceRecords records, InstanceProviders providers) {
        super(KIND);
        this.records = records;
        this.providers = providers;
    }

    TaskStep step(InstanceRecord r, String mediaId) {
        return step("reserve medium", ctx -> {
            new Data(StepTarget.record(ctx, records, r.id()), mediaId).writeTo(ctx);
            providers.media().reserve(mediaId, r.id(), r.spec().name());
        });
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        MediaCatalog catalog = providers.mediaOrNull();
        if (data.target().instance() != null && data.medium() != null && catalog != null) {
            catalog.release(data.medium(), data.target().instance());
        }
    }
}
