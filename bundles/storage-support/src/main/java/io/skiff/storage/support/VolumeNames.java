package io.skiff.storage.support;

import io.skiff.api.service.SkiffException;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Skiff volume names map to files: volume {@code vm-42-root} is the file (and libvirt volume)
 * {@code vm-42-root.qcow2}. Names are restricted so that they are safe as file names and in XML without escaping, and
 * files in the pool that do not follow the rule (ISOs, files an admin put there) are not taken for Skiff volumes.
 */
public final class VolumeNames {
    public static final String SUFFIX = ".qcow2";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private VolumeNames() {
    }

    /** @throws SkiffException INVALID (field {@code name}) when {@code name} is not a valid volume name */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SkiffException.invalid("name", "volume name '" + name + "' may contain only letters, digits, '.', "
                    + "'-' and '_', must start with a letter or digit and be at most 200 characters");
        }
        if (name.endsWith(SUFFIX)) {
            throw SkiffException.invalid("name", "volume name '" + name + "' must not end with " + SUFFIX
                    + ": the backend adds it");
        }
        return name;
    }

    public static String fileName(String name) {
        return check(name) + SUFFIX;
    }

    /** The Skiff volume name of a libvirt volume, or empty when the file is not one of ours. */
    public static Optional<String> volumeName(String fileName) {
        if (fileName == null || !fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String name = fileName.substring(0, fileName.length() - SUFFIX.length());
        return NAME.matcher(name).matches() && !name.endsWith(SUFFIX) ? Optional.of(name) : Optional.empty();
    }
}
