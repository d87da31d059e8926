package io.skiff.api.service;

import io.skiff.api.model.TaskInfo;

import java.util.List;

/**
 * An instance's system disk and the image catalogue: an image built from it, and the system disk reinstalled from the
 * image it was made from. Both run as tasks on the instance.
 */
@org.osgi.annotation.versioning.ProviderType
public interface InstanceImageService {

    /**
     * Builds a disk image from a stopped instance's system disk: the cell copies it into a standalone qcow2 and
     * uploads it to the catalogue, as a task whose progress follows the upload.
     *
     * @param imageName the new image's unique name
     * @param tags its tags
     */
    TaskInfo captureImage(String idOrName, String imageName, List<String> tags, AuthenticatedUser caller);

    /**
     * Reinstalls the instance's system disk from its original image, keeping its id, name, address and MAC, its
     * data disks and its seed (so the guest initialises again).
     *
     * @throws SkiffException {@code CONFLICT} when the system disk has no image or the instance has snapshots
     */
    TaskInfo resetSystem(String idOrName, AuthenticatedUser caller);
}
