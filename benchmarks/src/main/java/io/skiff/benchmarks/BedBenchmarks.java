package io.skiff.benchmarks;

import io.skiff.itests.guest.TestGuest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks on the multi-host test bed share before they start: the distribution and a fresh directory. */
final class BedBenchmarks {
    private BedBenchmarks() {
    }

    /** @return the distribution ({@code skiff.bench.distribution}, default the assembly's tar.gz); it must exist */
    static Path distribution() {
        Path archive = Path.of(System.getProperty("skiff.bench.distribution",
                "karaf-assembly/target/skiff-assembly-0.1.0-SNAPSHOT.tar.gz")).toAbsolutePath();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no distribution at " + archive + " (mvn -B -o install -DskipTests)");
        }
        return archive;
    }

    /** @return {@code <skiff.bench.dir>/<name>}, emptied, after the machine's description was printed */
    static Path freshDirectory(String name) throws IOException {
        Path dir = Path.of(System.getProperty("skiff.bench.dir", "target/benchmark-data")).toAbsolutePath()
                .resolve(name);
        TestGuest.deleteTree(dir);
        Files.createDirectories(dir);
        MachineInfo.print(dir, System.out);
        return dir;
    }
}
