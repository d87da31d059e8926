package io.skiff.libvirt;

import io.skiff.api.service.SkiffException;

import java.util.regex.Pattern;

/**
 * How Skiff names its libvirt domains: {@code skiff-<instanceId>}. Every libvirt-based provider finds an instance's
 * domain through this one rule; domains with other names are never Skiff's.
 */
public final class SkiffDomains {
    /** Prefix of every Skiff domain name. */
    public static final String NAME_PREFIX = "skiff-";
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private SkiffDomains() {
    }

    /**
     * @return the name of the instance's domain
     * @throws SkiffException {@code INVALID} when the id cannot name a domain
     */
    public static String domainName(String instanceId) {
        if (instanceId == null || !INSTANCE_ID.matcher(instanceId).matches()) {
            throw SkiffException.invalid("instanceId", "not a valid instance id: " + instanceId);
        }
        return NAME_PREFIX + instanceId;
    }
}
