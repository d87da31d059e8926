package io.skiff.cell.internal;

import io.skiff.api.cell.CellProtocol;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cell's {@code leaseDirectory}: a lease file per instance, named in its domain, removed with the instance. */
class LeaseFilesTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheSettingDomainsHoldNoLease() throws Exception {
        try (CellFixture cell = new CellFixture(dir.resolve("cell"), Map.of())) {
            cell.create(CellFixture.spec("a", 1L << 30));
            assertNull(cell.hypervisor.domain("a").spec.leaseFile());
        }
    }

    @Test
    void eachDomainHoldsItsInstancesLeaseFileMadeEmptyAndPrivateBeforeTheDefinition() throws Exception {
        Path leases = Files.createDirectories(dir.resolve("shared/leases"));
        try (CellFixture cell = new CellFixture(dir.resolve("cell"), Map.of("leaseDirectory", leases.toString()))) {
            cell.create(CellFixture.spec("a", 1L << 30));

            Path file = leases.resolve("a");
            assertEquals(file.toString(), cell.hypervisor.domain("a").spec.leaseFile());
            assertEquals(0, Files.size(file));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

            cell.call(CellProtocol.DELETE_DISKS, InstanceAction.of("a"), Object.class);
            assertFalse(Files.exists(file), "removed with the instance");
        }
    }

    @Test
    void aLeaseFileThatIsThereAlreadyIsKeptAsItIs() throws Exception {
        Path leases = Files.createDirectories(dir.resolve("leases"));
        Files.writeString(leases.resolve("b"), "held");
        LeaseFiles files = new LeaseFiles(leases.toString());

        assertEquals(leases.resolve("b").toString(), files.prepare("b"));
        assertEquals("held", Files.readString(leases.resolve("b")));
        assertNull(new LeaseFiles(" ").prepare("b"));
    }

    @Test
    void aLeaseDirectoryThatIsNotThereIsUnavailableNotMadeLocally() {
        Path missing = dir.resolve("not-mounted");
        SkiffException e = assertThrows(SkiffException.class, () -> new LeaseFiles(missing.toString()).prepare("c"));
        assertEquals(SkiffException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(Files.exists(missing));
    }
}
