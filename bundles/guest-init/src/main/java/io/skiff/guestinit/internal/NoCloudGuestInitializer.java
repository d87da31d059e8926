package io.skiff.guestinit.internal;

import io.skiff.api.Skiff;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DiskAttachment;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitializer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Guest initialisation by a cloud-init NoCloud seed: an ISO 9660 volume labelled {@code cidata} holding
 * {@code meta-data} and {@code user-data}, attached to the instance as a read-only cdrom. Any guest with cloud-init
 * (or the test guest's small reader) picks up its host name, admin user, SSH keys and data-disk mounts at first boot.
 * The seed is written to a temporary file and renamed, so an instance never sees half a seed.
 */
@Component(service = GuestInitializer.class, configurationPid = "io.skiff.guestinit",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = Skiff.PROVIDER_PROPERTY + "=nocloud")
@Designate(ocd = NoCloudConfig.class)
public class NoCloudGuestInitializer implements GuestInitializer {
    static final String VOLUME_ID = "cidata";
    private static final Logger LOG = LoggerFactory.getLogger(NoCloudGuestInitializer.class);
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path directory;
    private final GenIsoImage genIsoImage;

    @Activate
    public NoCloudGuestInitializer(NoCloudConfig config) {
        this(config.seedDirectory().isBlank()
                        ? Path.of(System.getProperty("karaf.data", "data"), "skiff", "seeds")
                        : Path.of(config.seedDirectory()),
                new GenIsoImage(config.genisoimage()));
    }

    NoCloudGuestInitializer(Path directory, GenIsoImage genIsoImage) {
        this.directory = directory.toAbsolutePath();
        this.genIsoImage = genIsoImage;
    }

    @Override
    public DiskAttachment prepareSeed(String instanceId, GuestInitSpec spec) {
        NoCloudSeed seed = NoCloudSeed.of(checkId(instanceId), spec);
        Path iso = seedPath(instanceId);
        Path work = null;
        try {
            Files.createDirectories(directory);
            work = Files.createTempDirectory(directory, "." + instanceId + "-");
            Path metaData = Files.writeString(work.resolve("meta-data"), seed.metaData(), StandardCharsets.UTF_8);
            Path userData = Files.writeString(work.resolve("user-data"), seed.userData(), StandardCharsets.UTF_8);
            Path partial = work.resolve("seed.iso");
            genIsoImage.write(partial, VOLUME_ID, List.of(userData, metaData));
            // QEMU (another user) opens the ISO; it holds a crypt hash at most, never a plain password
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            move(partial, iso);
            LOG.info("Instance {}: guest seed written ({})", instanceId, iso);
            return new DiskAttachment(iso.toString(), "raw", "cdrom", true);
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "seed-failed",
                    "cannot write the guest seed of instance " + instanceId + ": " + e.getMessage(), null);
        } finally {
            deleteTree(work);
        }
    }

    /** Removes the seed, and the work directory a seed being written when the node was killed left behind. */
    @Override
    public void removeSeed(String instanceId) {
        try {
            if (Files.deleteIfExists(seedPath(checkId(instanceId)))) {
                LOG.info("Instance {}: guest seed removed", instanceId);
            }
            if (Files.isDirectory(directory)) {
                try (var leftovers = Files.newDirectoryStream(directory, "." + instanceId + "-*")) {
                    for (Path work : leftovers) {
                        deleteTree(work);
                        LOG.info("Instance {}: unfinished guest seed {} removed", instanceId, work.getFileName());
                    }
                }
            }
        } catch (IOException e) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "seed-failed",
                    "cannot remove the guest seed of instance " + instanceId + ": " + e.getMessage(), null);
        }
    }

    Path seedPath(String instanceId) {
        return directory.resolve(instanceId + "-seed.iso");
    }

    private static String checkId(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw SkiffException.invalid("instanceId", "not a valid instance id: " + instanceId);
        }
        return instanceId;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
