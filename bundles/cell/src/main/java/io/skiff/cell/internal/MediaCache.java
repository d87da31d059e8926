package io.skiff.cell.internal;

import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.ImageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The ISOs of the cell's media drives, by medium id, fetched from the Core; a medium that no instance file names and
 * no instance's snapshots name leaves the cache. Per instance it also remembers the media its snapshots were taken
 * with ({@code <instance id>}: the media to keep, one id a line; {@code <instance id>.snapshots}: one
 * {@code <snapshot>=<medium id or nothing>} a line), so a revert finds them and a refused delete can say why.
 */
final class MediaCache {
    private static final Logger LOG = LoggerFactory.getLogger(MediaCache.class);

    private final ImageCache isos;
    private final Path dir;
    private final Path snapshotMediaDir;
    private final CellInstanceStore files;
    private final Object lock;
    private final String node;

    /** @param lock the cell's instance lock: the cache is cleaned under it, never between a fetch and a define */
    MediaCache(CellDirectories dirs, CellInstanceStore files, Object lock, String node) {
        this.dir = dirs.media();
        this.isos = new ImageCache(dir);
        this.snapshotMediaDir = dirs.snapshotMedia();
        this.files = files;
        this.lock = lock;
        this.node = node;
    }

    /** @return the cached ISO of the medium, fetched from the Core first when it is not here */
    Path fetch(ImageSource medium) throws IOException, InterruptedException {
        return isos.fetch(medium);
    }

    /** @return the cached ISO of the spec's medium, or {@code null} for an empty drive (also when it is not cached) */
    String pathOf(CellInstanceSpec spec) {
        if (spec.media() == null) {
            return null;
        }
        Path iso = isos.cached(spec.media());
        if (!Files.exists(iso)) {
            LOG.warn("instance {}: medium {} is not in the media cache; its drive is defined empty",
                    spec.instanceId(), spec.media().id());
            return null;
        }
        return iso.toString();
    }

    /** Removes the cached ISOs that no instance file of this cell names (nor its snapshots). */
    void removeUnused() {
        synchronized (lock) {
            try {
                if (!Files.isDirectory(dir)) {
                    return;
                }
                Set<String> used = new HashSet<>();
                for (CellInstanceFile f : files.all()) {
                    if (f.spec().media() != null) {
                        used.add(f.spec().media().id() + ".iso");
                    }
                    for (String held : heldForSnapshots(f.spec().instanceId())) {
                        used.add(held + ".iso");
                    }
                }
                try (var cached = Files.list(dir)) {
                    for (Path iso : cached.filter(p -> p.getFileName().toString().endsWith(".iso")).toList()) {
                        if (!used.contains(iso.getFileName().toString())) {
                            Files.deleteIfExists(iso);
                            LOG.info("cell {}: medium {} left the media cache (no instance holds it)", node,
                                    iso.getFileName());
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("cell {}: media cache not cleaned: {}", node, e.toString());
            }
        }
    }

    /** @return the media the instance's snapshots name (kept in the cache while it has snapshots) */
    List<String> heldForSnapshots(String id) throws IOException {
        Path held = snapshotMediaDir.resolve(id);
        return Files.exists(held) ? Files.readAllLines(held).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    /** Notes the medium in the instance's drive when a snapshot was taken ({@code null}: the drive was empty). */
    void snapshotTaken(String id, String snapshot, ImageSource medium) throws IOException {
        synchronized (lock) {
            Files.createDirectories(snapshotMediaDir);
            if (medium != null) {
                List<String> held = new ArrayList<>(heldForSnapshots(id));
                if (!held.contains(medium.id())) {
                    held.add(medium.id());
                    Files.write(snapshotMediaDir.resolve(id), held);
                }
            }
            List<String> records = new ArrayList<>(snapshotRecords(id).stream()
                    .filter(l -> !l.startsWith(snapshot + "=")).toList());
            records.add(snapshot + "=" + (medium == null ? "" : medium.id()));
            Files.write(snapshotMediaDir.resolve(id + ".snapshots"), records);
        }
    }

    /**
     * What the cell noted when a snapshot was taken.
     *
     * @param mediumId the medium in the media drive then, or {@code null} for an empty drive
     */
    record SnapshotNote(String mediumId) {
    }

    /** @return the note of a snapshot; none for a snapshot taken before the cell kept these notes */
    Optional<SnapshotNote> snapshotNote(String id, String snapshot) throws IOException {
        return snapshotRecords(id).stream().filter(l -> l.startsWith(snapshot + "=")).findFirst()
                .map(l -> l.substring(snapshot.length() + 1))
                .map(medium -> new SnapshotNote(medium.isEmpty() ? null : medium));
    }

    /** Forgets one snapshot's note (the media it named stay held until the instance has no snapshots). */
    void snapshotDeleted(String id, String snapshot) throws IOException {
        synchronized (lock) {
            List<String> records = snapshotRecords(id);
            List<String> left = records.stream().filter(l -> !l.startsWith(snapshot + "=")).toList();
            if (left.size() != records.size()) {
                Files.write(snapshotMediaDir.resolve(id + ".snapshots"), left);
            }
        }
    }

    /**
     * Forgets every snapshot note of the instance.
     *
     * @return whether its snapshots held media (which {@link #removeUnused} may now remove)
     */
    boolean forgetSnapshots(String id) throws IOException {
        Files.deleteIfExists(snapshotMediaDir.resolve(id + ".snapshots"));
        return Files.deleteIfExists(snapshotMediaDir.resolve(id));
    }

    private List<String> snapshotRecords(String id) throws IOException {
        Path records = snapshotMediaDir.resolve(id + ".snapshots");
        return Files.exists(records) ? Files.readAllLines(records).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }
}
