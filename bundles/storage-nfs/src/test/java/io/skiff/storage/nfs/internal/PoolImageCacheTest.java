package io.skiff.storage.nfs.internal;

import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolImageCacheTest {

    @Test
    void anImageIsCachedUnderItsCellFileNameAsQcow2() {
        assertEquals("0c2a-77.qcow2", PoolImageCache.cachedName(Path.of("/var/skiff/images/0c2a-77.qcow2")));
        assertEquals("0c2a-77.qcow2", PoolImageCache.cachedName(Path.of("/var/skiff/images/0c2a-77.raw")));
        assertEquals("debian12.qcow2", PoolImageCache.cachedName(Path.of("/srv/debian12")));
    }

    @Test
    void fileNamesThatCannotNameAnImageAreRefused() {
        SkiffException e = assertThrows(SkiffException.class,
                () -> PoolImageCache.cachedName(Path.of("/srv/my image.qcow2")));
        assertEquals("backingPath", e.field());
    }
}
