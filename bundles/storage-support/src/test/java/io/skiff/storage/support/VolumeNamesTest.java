package io.skiff.storage.support;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VolumeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"vm-42-root", "i-0001.data_2", "A", "9lives"})
    void validNamesMapToQcow2Files(String name) {
        assertEquals(name + ".qcow2", VolumeNames.fileName(name));
        assertEquals(Optional.of(name), VolumeNames.volumeName(name + ".qcow2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lead", ".hidden", "a/b", "../etc", "a b", "x'y", "vm<1>", "disk.qcow2"})
    void invalidNamesAreRefused(String name) {
        SkiffException e = assertThrows(SkiffException.class, () -> VolumeNames.fileName(name));
        assertEquals(SkiffException.Kind.INVALID, e.kind());
        assertEquals("name", e.field());
        assertEquals(true, e.getMessage().contains("'" + name + "'"), e.getMessage());
    }

    @Test
    void nullAndOverlongNamesAreRefused() {
        assertThrows(SkiffException.class, () -> VolumeNames.check(null));
        assertEquals(200, VolumeNames.check("a".repeat(200)).length());
        assertThrows(SkiffException.class, () -> VolumeNames.check("a".repeat(201)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian.iso", "vm-1.raw", ".vm-1.qcow2.part", "-x.qcow2", "a b.qcow2", "x.qcow2.qcow2",
            ".qcow2"})
    void filesThatAreNotSkiffVolumesAreIgnored(String file) {
        assertEquals(Optional.empty(), VolumeNames.volumeName(file));
    }
}
