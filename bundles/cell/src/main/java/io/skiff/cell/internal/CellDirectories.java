package io.skiff.cell.internal;

import io.skiff.api.service.SkiffException;

import java.nio.file.Path;

/**
 * Where the cell keeps its files, all under its data directory.
 *
 * @param instances one JSON file per instance ({@link CellInstanceStore})
 * @param images the images its volumes are cloned from
 * @param media the ISOs in its instances' media drives
 * @param snapshotMedia per instance, the media its snapshots name (kept in the media cache for a revert)
 * @param console the instances' serial console logs
 */
record CellDirectories(Path instances, Path images, Path media, Path snapshotMedia, Path console) {

    static CellDirectories under(Path data) {
        return new CellDirectories(data.resolve("instances"), data.resolve("images"), data.resolve("media"),
                data.resolve("snapshot-media"), data.resolve("console"));
    }

    /** @return the serial console log of an instance */
    Path consoleLog(String instanceId) {
        if (!instanceId.matches("[A-Za-z0-9-]+")) {
            throw SkiffException.invalid("instanceId", "bad instance id");
        }
        return console.resolve(instanceId + ".log");
    }
}
