package io.skiff.guestinit.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.GuestInitSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes real seeds with Debian's genisoimage and reads them back with isoinfo (same package). */
class NoCloudGuestInitializerTest {
    @TempDir
    Path dir;

    @Test
    void seedIsAnIsoLabelledCidataWithBothFiles() throws Exception {
        NoCloudGuestInitializer init = new NoCloudGuestInitializer(dir, new GenIsoImage("genisoimage"));
        DiskAttachment seed = init.prepareSeed("i-42", GuestInitSpec.hostnameOnly("seeded-host"));
        Path iso = Path.of(seed.path());
        assertEquals(dir.resolve("i-42-seed.iso").toAbsolutePath(), iso);
        assertEquals("cdrom", seed.device());
        assertTrue(seed.readOnly());
        assertTrue(run("isoinfo", "-d", "-i", iso.toString()).contains("Volume id: cidata"));
        String metaData = run("isoinfo", "-R", "-i", iso.toString(), "-x", "/meta-data");
        assertTrue(metaData.contains("local-hostname: \"seeded-host\""), metaData);
        assertTrue(run("isoinfo", "-R", "-i", iso.toString(), "-x", "/user-data").startsWith("#cloud-config"));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(iso), left.toList(), "no work files left beside the seed");
        }

        init.prepareSeed("i-42", GuestInitSpec.hostnameOnly("renamed"));
        assertTrue(run("isoinfo", "-R", "-i", iso.toString(), "-x", "/meta-data").contains("renamed"));

        init.removeSeed("i-42");
        assertFalse(Files.exists(iso));
        init.removeSeed("i-42");
    }

    @Test
    void removingASeedAlsoRemovesTheWorkLeftByAKilledNode() throws Exception {
        NoCloudGuestInitializer init = new NoCloudGuestInitializer(dir, new GenIsoImage("genisoimage"));
        // what prepareSeed leaves when the JVM is killed while genisoimage runs
        Path work = Files.createTempDirectory(dir, ".i-7-");
        Files.writeString(work.resolve("meta-data"), "instance-id: i-7\n");
        Path other = Files.createTempDirectory(dir, ".i-70-");
        init.removeSeed("i-7");
        assertFalse(Files.exists(work), "the unfinished seed of i-7 is gone");
        assertTrue(Files.exists(other), "another instance's is not touched");
    }

    @Test
    void invalidSpecWritesNothing() throws Exception {
        NoCloudGuestInitializer init = new NoCloudGuestInitializer(dir, new GenIsoImage("genisoimage"));
        assertThrows(SkiffException.class, () -> init.prepareSeed("i-1", GuestInitSpec.hostnameOnly("no_underscores")));
        assertThrows(SkiffException.class, () -> init.prepareSeed("../escape", GuestInitSpec.hostnameOnly("h")));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void missingToolIsAClearUnavailableError() {
        NoCloudGuestInitializer init = new NoCloudGuestInitializer(dir, new GenIsoImage("/nonexistent/genisoimage"));
        SkiffException e = assertThrows(SkiffException.class,
                () -> init.prepareSeed("i-1", GuestInitSpec.hostnameOnly("h")));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("install genisoimage"), e.getMessage());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
