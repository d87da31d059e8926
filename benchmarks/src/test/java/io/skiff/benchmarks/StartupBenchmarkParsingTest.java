package io.skiff.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The parts of the start-up benchmark that need no Karaf: reading jcmd's output, the summary. Starts nothing. */
class StartupBenchmarkParsingTest {

    @Test
    void readsUsedHeapAndMetaspaceOfG1() {
        String g1 = """
                12345:
                 garbage-first heap   total 90112K, used 41234K [0x00000000e0000000, 0x0000000100000000)
                  region size 1024K, 1 young (1024K), 0 survivors (0K)
                 Metaspace       used 61234K, committed 62000K, reserved 1105920K
                  class space    used 7000K, committed 7300K, reserved 1048576K
                """;
        StartupBenchmark.HeapInfo info = StartupBenchmark.parseHeapInfo(g1);
        assertEquals(41234, info.heapUsedKiB());
        assertEquals(61234, info.metaspaceUsedKiB());
    }

    @Test
    void addsTheGenerationsOfSerialGc() {
        String serial = """
                12345:
                 def new generation   total 9792K, used 100K [0x00000000e0000000, 0x00000000e0aa0000)
                  eden space 8704K,   1% used [0x00000000e0000000, 0x00000000e0019000, 0x00000000e0880000)
                 tenured generation   total 21888K, used 20000K [0x00000000eaaa0000, 0x00000000ec000000)
                   the space 21888K,  91% used [0x00000000eaaa0000, 0x00000000ebe28000, 0x00000000ebe28000)
                 Metaspace       used 5000K, committed 5200K, reserved 1056768K
                """;
        StartupBenchmark.HeapInfo info = StartupBenchmark.parseHeapInfo(serial);
        assertEquals(20100, info.heapUsedKiB());
        assertEquals(5000, info.metaspaceUsedKiB());
    }

    @Test
    void readsCollectorAndHeapLimit() {
        String flags = "12345:\n-XX:CICompilerCount=2 -XX:InitialHeapSize=394264576 -XX:MaxHeapSize=6318718976"
                + " -XX:+UnlockDiagnosticVMOptions -XX:+UseCompressedOops -XX:+UseG1GC\n";
        assertEquals("G1GC, max heap 6026 MiB", StartupBenchmark.jvmFlags(flags));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        List<StartupBenchmark.Result> three = List.of(new StartupBenchmark.Result(1, 3, 0, 0, 0, 0),
                new StartupBenchmark.Result(2, 1, 0, 0, 0, 0), new StartupBenchmark.Result(3, 2, 0, 0, 0, 0));
        assertEquals(2.0, StartupBenchmark.median(three, StartupBenchmark.Result::coldSeconds));
        assertEquals(1.5, StartupBenchmark.median(three.subList(1, 3),
                StartupBenchmark.Result::coldSeconds), 1e-9);
    }
}
