package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.libvirt.XmlWriter;

import java.nio.file.Path;

/**
 * The {@code <lease>} of a domain that holds a storage lease while it runs (libvirt's lock manager, virtlockd).
 * virtlockd takes a lease in the lockspace directory {@code <target path>/<lockspace>} on the file named by its
 * {@code <key>}, and only in a lockspace it registered at start: the directory of {@code file_lockspace_dir} in
 * {@code qemu-lockd.conf}. So the lease file {@code DIR/KEY} is written as target {@code DIR}'s parent, lockspace
 * {@code DIR}'s name and key {@code KEY}. virtlockd does not create a lease file: it must exist before the start.
 *
 * @param target the directory above the lockspace directory
 * @param lockspace the lockspace directory's name
 * @param key the lease file's name
 */
record DomainLease(String target, String lockspace, String key) {

    /**
     * @param instanceId the instance (named in errors)
     * @param leaseFile the absolute path of the lease file, two levels below the root at least
     * @throws SkiffException {@code INVALID} when the path cannot name a lease
     */
    static DomainLease of(String instanceId, String leaseFile) {
        Path file = leaseFile == null ? null : Path.of(leaseFile).normalize();
        if (file == null || !file.isAbsolute() || file.getNameCount() < 2 || !file.toString().equals(leaseFile)) {
            throw SkiffException.invalid("leaseFile", "instance " + instanceId + ": the lease file '" + leaseFile
                    + "' is not a normalized absolute path in a directory below the root");
        }
        return new DomainLease(file.getParent().getParent().toString(), file.getParent().getFileName().toString(),
                file.getFileName().toString());
    }

    void write(XmlWriter w) {
        w.start("lease");
        w.text("lockspace", lockspace);
        w.text("key", key);
        w.empty("target", "path", target);
        w.end();
    }
}
