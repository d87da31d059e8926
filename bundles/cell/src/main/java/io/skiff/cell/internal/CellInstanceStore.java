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

/** The cell's own instance files: one JSON file per instance, written atomically (temp, fsync, rename). */
public class CellInstanceStore {
    private final Path dir;
    private final ObjectMapper mapper;

    public CellInstanceStore(Path dir, ObjectMapper mapper) {
        this.dir = dir;
        this.mapper = mapper;
    }

    public synchronized void save(CellInstanceFile file) throws IOException {
        Files.createDirectories(dir);
        Path target = path(file.spec().instanceId());
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        Files.write(temp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(file));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public synchronized Optional<CellInstanceFile> load(String instanceId) throws IOException {
        Path p = path(instanceId);
        return Files.exists(p) ? Optional.of(mapper.readValue(p.toFile(), CellInstanceFile.class)) : Optional.empty();
    }

    public synchronized List<CellInstanceFile> all() throws IOException {
        List<CellInstanceFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                files.add(mapper.readValue(p.toFile(), CellInstanceFile.class));
            }
        }
        return files;
    }

    public synchronized void delete(String instanceId) throws IOException {
        Files.deleteIfExists(path(instanceId));
    }

    private Path path(String instanceId) {
        if (!instanceId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("bad instance id " + instanceId);
        }
        return dir.resolve(instanceId + ".json");
    }
}
