package io.skiff.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each benchmark with a tiny count, so that the harness stays working; measures nothing. */
class CoreBenchmarksSmokeTest {

    @Test
    void everyBenchmarkRunsAndPrintsARow(@TempDir Path dir) throws Exception {
        List<CoreBenchmarks.Row> rows = CoreBenchmarks.run(new CoreBenchmarks.Settings(dir, 16, 4, 16, 2));
        assertEquals(3, rows.size());
        assertEquals(16, rows.get(0).operations());
        assertEquals(16, rows.get(1).operations());
        assertEquals(16, rows.get(2).operations());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CoreBenchmarks.print(rows, new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("journal commit + fsync, 1 thread"), table);
        assertTrue(table.contains("task engine"), table);
    }
}
