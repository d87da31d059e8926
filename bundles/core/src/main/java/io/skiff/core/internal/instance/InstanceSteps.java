package io.skiff.core.internal.instance;

import io.skiff.api.service.CellService;
import io.skiff.api.task.UndoHandler;
import io.skiff.core.internal.image.ImageCatalog;

import java.util.List;

/**
 * Every kind of step the instance tasks are made of, one object each (see {@link StepKind}): the capabilities build
 * their steps from these objects, and the same objects are the {@link UndoHandler}s registered for crash recovery.
 */
final class InstanceSteps {
    private final ReserveInstanceStep reserveInstance;
    private final AllocateAddressStep allocateAddress;
    private final ReleaseAddressStep releaseAddress;
    private final RebindAddressStep rebindAddress;
    private final CreateVolumesStep createVolumes;
    private final DefineDomainStep defineDomain;
    private final StartDomainStep startDomain;
    private final MarkStateStep markState;
    private final CaptureImageStep captureImage;
    private final ReserveMediumStep reserveMedium;
    private final ChangeMediaStep changeMedia;
    private final AddDiskStep addDisk;
    private final RecordDiskStep recordDisk;
    private final RecordDiskRemovalStep recordDiskRemoval;
    private final NoUndoStep noUndo = new NoUndoStep();

    InstanceSteps(InstanceRecords records, InstanceSettings settings, InstanceProviders providers, CellService cells,
                  InstanceQuotas quotas, CellSpecs specs, ImageCatalog images) {
        reserveInstance = new ReserveInstanceStep(records, settings, providers, cells, quotas);
        allocateAddress = new AllocateAddressStep(providers, settings);
        releaseAddress = new ReleaseAddressStep(providers);
        rebindAddress = new RebindAddressStep(providers);
        createVolumes = new CreateVolumesStep(records, settings, specs);
        defineDomain = new DefineDomainStep(records, settings, specs);
        startDomain = new StartDomainStep(records, settings);
        markState = new MarkStateStep(records);
        captureImage = new CaptureImageStep(records, settings, images, specs);
        reserveMedium = new ReserveMediumStep(records, providers);
        changeMedia = new ChangeMediaStep(records, settings, specs);
        addDisk = new AddDiskStep(records, settings);
        recordDisk = new RecordDiskStep(records, settings);
        recordDiskRemoval = new RecordDiskRemovalStep(records, settings);
    }

    /** @return every kind, each the undo handler of its kind */
    List<UndoHandler> undoHandlers() {
        return List.of(reserveInstance, allocateAddress, releaseAddress, rebindAddress, createVolumes, defineDomain,
                startDomain, markState, captureImage, reserveMedium, changeMedia, addDisk, recordDisk,
                recordDiskRemoval, noUndo);
    }

    ReserveInstanceStep reserveInstance() {
        return reserveInstance;
    }

    AllocateAddressStep allocateAddress() {
        return allocateAddress;
    }

    ReleaseAddressStep releaseAddress() {
        return releaseAddress;
    }

    RebindAddressStep rebindAddress() {
        return rebindAddress;
    }

    CreateVolumesStep createVolumes() {
        return createVolumes;
    }

    DefineDomainStep defineDomain() {
        return defineDomain;
    }

    StartDomainStep startDomain() {
        return startDomain;
    }

    MarkStateStep markState() {
        return markState;
    }

    CaptureImageStep captureImage() {
        return captureImage;
    }

    ReserveMediumStep reserveMedium() {
        return reserveMedium;
    }

    ChangeMediaStep changeMedia() {
        return changeMedia;
    }

    AddDiskStep addDisk() {
        return addDisk;
    }

    RecordDiskStep recordDisk() {
        return recordDisk;
    }

    RecordDiskRemovalStep recordDiskRemoval() {
        return recordDiskRemoval;
    }

    NoUndoStep noUndo() {
        return noUndo;
    }
}
