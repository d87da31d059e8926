package io.skiff.core.internal.instance;

import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.service.SkiffException;
import io.skiff.core.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The media drive's fields of an instance: validated, kept by every {@code with...}, absent in old records. */
class MediaSpecTest {
    private static final InstanceSpec SPEC = new InstanceSpec("vm", "p", null, 1, 1L << 30,
            List.of(new DiskSpec(1L << 30, null, null)), "linux-virtio", null, false).withMedia("m-1")
            .withBootFrom("cdrom");

    @Test
    void bootFromIsDiskOrCdrom() {
        assertEquals("disk", InstanceRequests.bootFrom(null));
        assertEquals("disk", InstanceRequests.bootFrom(""));
        assertEquals("cdrom", InstanceRequests.bootFrom("cdrom"));
        assertEquals("bootFrom", assertThrows(SkiffException.class, () -> InstanceRequests.bootFrom("floppy")).field());
        assertEquals("bootFrom", assertThrows(SkiffException.class, () -> InstanceRequests.bootFrom("CDROM")).field());
    }

    @Test
    void everyWithKeepsTheMediaDrive() {
        for (InstanceSpec s : List.of(SPEC.withDisks(List.of(new DiskSpec(2L << 30, null, null))),
                SPEC.withGuestInit(null), SPEC.withQos(null), SPEC.withShape("vm-2", 2, 2L << 30))) {
            assertEquals("m-1", s.media(), s.toString());
            assertEquals("cdrom", s.bootFrom(), s.toString());
        }
        assertNull(SPEC.withMedia(null).media());
        assertEquals("cdrom", SPEC.withMedia(null).bootFrom());
    }

    @Test
    void recordsFromBeforeMediaDrivesReadAsEmptyAndBootingFromDisk() throws Exception {
        var mapper = Json.newObjectMapper();
        String old = mapper.writeValueAsString(SPEC).replace(",\"media\":\"m-1\"", "").replace(",\"bootFrom\":\"cdrom\"", "");
        InstanceSpec read = mapper.readValue(old, InstanceSpec.class);
        assertNull(read.media());
        assertNull(read.bootFrom());
        assertEquals(false, read.bootsFromCdrom());
        assertEquals(SPEC, mapper.readValue(mapper.writeValueAsString(SPEC), InstanceSpec.class));
    }
}
