package io.skiff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.transport.internal.JGroupsTransport;

/**
 * Runs the transport benchmark tiny (100 requests, 1 round) on 127.0.0.1, ports 28750+ (failure detection 28850+),
 * with this build's transport also loaded as "before" in a class loader of its own, so that the comparison and the
 * mixed domains keep working; measures nothing. About 8 s.
 */
class TransportBenchmarkSmokeTest {

    @Test
    void hundredRequestsBothWays(@TempDir Path dir) throws Exception {
        Path thisBuild = Path.of(JGroupsTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TransportBenchmark.Settings settings = new TransportBenchmark.Settings(100, 4, 1, 28750, dir, thisBuild);
        List<TransportBenchmark.Row> rows = TransportBenchmark.run(settings,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertEquals(Set.of("this build", "before", "before -> this build", "this build -> before"),
                rows.stream().map(TransportBenchmark.Row::transport).collect(Collectors.toSet()));
        assertEquals(8, rows.size());
        for (TransportBenchmark.Row r : rows) {
            assertTrue(r.requests() >= 10 && r.seconds() > 0 && r.p99Ms() >= r.p50Ms(), r.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransportBenchmark.print(rows, new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("median over the rounds"), table);
        assertTrue(table.contains("4 in flight"), table);
    }
}
