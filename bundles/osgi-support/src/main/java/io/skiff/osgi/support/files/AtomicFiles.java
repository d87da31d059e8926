package io.skiff.osgi.support.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Writes a small file so that a reader sees either the old or the new content, never a part: a temporary file in the
 * same directory, created with its final mode (a key is never readable by others, not even for a moment), written,
 * forced to disk and renamed over the target.
 */
public final class AtomicFiles {
    /** Owner read and write only: keys. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** Readable by all: certificates. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    /**
     * @param target the file to (re)place
     * @param content its new content
     * @param mode its permissions
     * @param owner its owner, or {@code null} to keep the writer's
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> mode, UserPrincipal owner)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(dir, "." + target.getFileName(), ".partial",
                PosixFilePermissions.asFileAttribute(mode));
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(partial, mode); // the umask may have taken bits of the attribute away
            if (owner != null && !owner.equals(Files.getOwner(partial))) {
                Files.setOwner(partial, owner);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
