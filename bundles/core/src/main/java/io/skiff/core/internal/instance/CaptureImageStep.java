package io.skiff.core.internal.instance;

import io.skiff.api.cell.Ack;
import io.skiff.api.cell.DiskCapture;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.task.StepContext;
import io.skiff.api.task.TaskStep;
import io.skiff.core.internal.image.ImageCatalog;

import java.util.List;
import java.util.Map;

/**
 * The kind {@value #KIND}: the instance's cell copies its system disk into a standalone image and uploads it to the
 * catalogue, which expects it under a one-time token. Undo: the catalogue abandons the capture (the token, and the
 * image if it arrived).
 */
final class CaptureImageStep extends StepKind<CaptureImageStep.Data> {
    static final String KIND = "image.capture";

    /** @param image the id the new image gets (key {@code image}) */
    record Data(StepTarget target, String image) {
        static final String IMAGE = "image";

        static Data read(Map<String, String> data) {
            return new Data(StepTarget.read(data), data.get(IMAGE));
        }

        void writeTo(StepContext context) {
            target.writeTo(context);
            StepData.put(context, IMAGE, image);
        }
    }

    private final InstanceRecords records;
    private final InstanceSettings settings;
    private final ImageCatalog images;
    private final CellSpecs specs;

    CaptureImageStep(InstanceRecords records, InstanceSettings settings, ImageCatalog images, CellSpecs specs) {
        super(KIND);
        this.records = records;
        this.settings = settings;
        this.images = images;
        this.specs = specs;
    }

    TaskStep step(String id, String imageId, String imageName, List<String> tags, AuthenticatedUser caller) {
        return step("copy system disk to image " + imageName, ctx -> {
            StepTarget target = StepTarget.record(ctx, records, id);
            new Data(target, imageId).writeTo(ctx);
            String token = images.expectCapture(imageId, imageName, tags, caller, (bytes, total) ->
                    ctx.progress(total > 0 ? (int) Math.min(99, bytes * 100 / total) : 50, bytes + " bytes received"));
            settings.calls().volumes(target.cell()).captureDisk(new DiskCapture(id, 0,
                    specs.coreUrl() + "/api/v1/images/" + imageId + "/content", token));
            images.get(imageId); // registered by the upload, else this step fails
            ctx.progress(100, "image " + imageName + " ready");
        });
    }

    @Override
    Data read(Map<String, String> data) {
        return Data.read(data);
    }

    @Override
    void undo(Data data) {
        if (data.image() != null) {
            images.abandonCapture(data.image());
        }
    }
}
