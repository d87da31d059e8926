package io.skiff.examples.storage.tree;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real {@code qemu-img} (Debian qemu-utils, installed by scripts/deps.sh). */
class TreeStorageBackendTest {
    @TempDir
    Path root;

    @Test
    void volumesLiveInTheShardedTree() {
        TreeStorageBackend tree = new TreeStorageBackend(root, "qemu-img");
        Volume v = tree.create("tree", "skiff-abc-disk0", 8L << 20, null);
        Path expected = root.resolve("tree").resolve(TreeLayout.shard("skiff-abc-disk0")).resolve("skiff-abc-disk0")
                .resolve("disk.qcow2");
        assertEquals(expected.toString(), v.path());
        assertEquals(8L << 20, v.capacityBytes());
        assertTrue(TreeStorageBackend.isQcow2(expected));
        assertEquals(List.of("skiff-abc-disk0"), tree.list("tree").stream().map(Volume::name).toList());
        assertThrows(SkiffException.class, () -> tree.create("tree", "skiff-abc-disk0", 8L << 20, null));
        assertTrue(tree.usage("tree").capacityBytes() > 0);
    }

    @Test
    void linkedCloneIsAtLeastAsLargeAsAskedAndDeleteLeavesNothing() {
        TreeStorageBackend tree = new TreeStorageBackend(root, "qemu-img");
        Volume base = tree.create("tree", "base", 4L << 20, null);
        Volume clone = tree.create("tree", "clone", 16L << 20, base.path());
        assertEquals(16L << 20, clone.capacityBytes());
        tree.delete("tree", "clone");
        assertFalse(Files.exists(Path.of(clone.path()).getParent()));
        assertTrue(tree.find("tree", "clone").isEmpty());
        tree.delete("tree", "clone"); // tolerated
    }

    @Test
    void badNamesAreRefused() {
        TreeStorageBackend tree = new TreeStorageBackend(root, "qemu-img");
        SkiffException e = assertThrows(SkiffException.class, () -> tree.create("tree", "../x", 1L << 20, null));
        assertEquals("name", e.field());
    }
}
