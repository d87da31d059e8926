package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellDomains;
import io.skiff.api.cell.CellVolumes;
import io.skiff.api.cell.InstanceAction;
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
    private final CellInstanceStep createVolumes;
    private final CellInstanceStep defineDomain;
    private final CellInstanceStep startDomain;
    private final MarkStateStep markState;
    private final CaptureImageStep captureImage;
    private final ReserveMediumStep reserveMedium;
    private final ChangeMediaStep changeMedia;
    private final AddDiskStep addDisk;
    private final RecordDiskStep recordDisk;
    private final RecordDiskRemovalStep recordDiskRemoval;
    private final NoUndoStep noUndo = new NoUndoStep();
    private final PrepareTargetStep prepareTarget;
    private final MoveInstanceStep moveInstance;
    private final SwitchCellStep switchCell;

    InstanceSteps(InstanceRecords records, InstanceSettings settings, InstanceProviders providers, CellService cells,
                  InstanceQuotas quotas, CellSpecs specs, ImageCatalog images) {
        reserveInstance = new ReserveInstanceStep(records, settings, providers, cells, quotas, specs.storagePools());
        allocateAddress = new AllocateAddressStep(providers, settings);
        releaseAddress = new ReleaseAddressStep(providers);
        rebindAddress = new RebindAddressStep(providers);
        createVolumes = new CellInstanceStep(CellInstanceStep.CREATE_VOLUMES, "create volumes", records, settings,
                (calls, cell, id, spec) -> calls.send(cell, CellVolumes.class, v -> v.prepareDisks(specs.of(id, spec))),
                (calls, cell, id) -> calls.volumes(cell).deleteDisks(InstanceAction.of(id)));
        defineDomain = new CellInstanceStep(CellInstanceStep.DEFINE_DOMAIN, "define domain", records, settings,
                (calls, cell, id, spec) -> calls.send(cell, CellDomains.class, d -> d.define(specs.of(id, spec))),
                (calls, cell, id) -> calls.domains(cell).undefine(InstanceAction.of(id)));
        startDomain = new CellInstanceStep(CellInstanceStep.START_DOMAIN, "start domain", records, settings,
                (calls, cell, id, spec) -> calls.send(cell, CellDomains.class, d -> d.start(InstanceAction.of(id))),
                (calls, cell, id) -> calls.domains(cell).stop(new InstanceAction(id, 0, true)));
        markState = new MarkStateStep(records);
        captureImage = new CaptureImageStep(records, settings, images, specs);
        reserveMedium = new ReserveMediumStep(records, providers);
        changeMedia = new ChangeMediaStep(records, settings, specs);
        addDisk = new AddDiskStep(records, settings, specs);
        recordDisk = new RecordDiskStep(records, settings);
        recordDiskRemoval = new RecordDiskRemovalStep(records, settings);
        prepareTarget = new PrepareTargetStep(records, settings, specs);
        moveInstance = new MoveInstanceStep(records, settings, specs);
        switchCell = new SwitchCellStep(records, settings);
    }

    /** @return every kind, each the undo handler of its kind */
    List<UndoHandler> undoHandlers() {
        return List.of(reserveInstance, allocateAddress, releaseAddress, rebindAddress, createVolumes, defineDomain,
                startDomain, markState, captureImage, reserveMedium, changeMedia, addDisk, recordDisk,
                recordDiskRemoval, prepareTarget, moveInstance, switchCell, noUndo);
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

    CellInstanceStep createVolumes() {
        return createVolumes;
    }

    CellInstanceStep defineDomain() {
        return defineDomain;
    }

    CellInstanceStep startDomain() {
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

    PrepareTargetStep prepareTarget() {
        return prepareTarget;
    }

    MoveInstanceStep moveInstance() {
        return moveInstance;
    }

    SwitchCellStep switchCell() {
        return switchCell;
    }

    NoUndoStep noUndo() {
        return noUndo;
    }
}
