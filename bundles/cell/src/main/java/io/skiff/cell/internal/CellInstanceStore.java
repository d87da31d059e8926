package io.skiff.cell.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cell's own instance files: one JSON file per instance, written atomically (temp, fsync, rename). The
 * files are read once, when the temporary files of writes a crash interrupted are removed; after that the store
 * answers from memory (the cell reports every two seconds).
 */
public class CellInstanceStore {
    private static final String TEMP = ".tmp";
    private final Path dir;
    private final ObjectMapper mapper;

    /** Instance id → file, in id order; {@code null} until the directory has been read. */
    private java.util.TreeMap<String, CellInstanceFile> files;

    public CellInstanceStore(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    public synchronized void save(CellInstanceFile file) throws IOException {
        Files.createDirectories(dir);
        Path target = path(file.spec().instanceId());
        Path temp = dir.resolve(target.getFileName() + TEMP);
        Files.write(temp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(file));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        read().put(file.spec().instanceId(), file);
    }

    public synchronized Optional<CellInstanceFile> load(String instanceId) throws IOException {
        path(instanceId);
        return Optional.ofNullable(read().get(instanceId));
    }

    /**
     * @return the instance's file
     * @throws io.skiff.api.service.SkiffException {@code NOT_FOUND} naming {@code instance} when this cell has none
     */
    public CellInstanceFile require(String instanceId) throws IOException {
        return load(instanceId).orElseThrow(() -> io.skiff.api.service.SkiffException.notFound("instance", "instance",
                instanceId));
    }

    public synchronized List<CellInstanceFile> all() throws IOException {
        return new ArrayList<>(read().values());
    }

    public synchronized void delete(String instanceId) throws IOException {
        Files.deleteIfExists(path(instanceId));
        read().remove(instanceId);
    }

    private java.util.TreeMap<String, CellInstanceFile> read() throws IOException {
        if (files == null) {
            java.util.TreeMap<String, CellInstanceFile> loaded = new java.util.TreeMap<>();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> list = Files.list(dir)) {
                    for (Path p : list.toList()) {
                        String name = p.getFileName().toString();
                        if (name.endsWith(".json")) {
                            CellInstanceFile file = mapper.readValue(p.toFile(), CellInstanceFile.class);
                            loaded.put(file.spec().instanceId(), file);
                        } else if (name.endsWith(TEMP)) {
                            // a write that a crash interrupted before its rename: the file it was to replace stands
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
            files = loaded;
        }
        return files;
    }

    private Path path(String instanceId) {
        if (!instanceId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("bad instance id " + instanceId);
        }
        return dir.resolve(instanceId + ".json");
    }
}
