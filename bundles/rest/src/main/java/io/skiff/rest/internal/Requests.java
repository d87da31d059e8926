package io.skiff.rest.internal;

import io.skiff.api.service.SkiffException;

/** Request bodies of the API; unknown fields are refused by the JSON mapper. */
final class Requests {
    private Requests() {
    }

    /** {@code POST /pools}. */
    record PoolCreate(String name, String description) {
    }

    /** {@code PUT /pools/{name}}; {@code failover} absent keeps the pool's setting. */
    record PoolUpdate(String description, Boolean failover) {
    }

    /** {@code POST /cells/{id}/add-to-pool}. */
    /** {@code cell}: the target, or absent to let the placement policy choose one in the same pool. */
    record Migration(String cell) {
    }

    record CellPool(String pool) {
    }

    /** {@code POST /sessions}. */
    record SessionCreate(String user, String password) {
    }

    /**
     * {@code POST /instances}; {@code null} fields (cores, memoryBytes, profile, ...) are filled in by the Core
     * ({@code GET /instance-defaults} says with what).
     */
    record InstanceCreate(String name, String poolId, String cellId, Integer cores, Long memoryBytes,
                          java.util.List<Disk> disks, String profile, String addressPoolId, Boolean autoStart,
                          String address, GuestInitRequest guestInit, io.skiff.api.model.Qos qos,
                          String media, String bootFrom, String restartPolicy,
                          java.util.Map<String, String> labels) {
    }

    /** Guest initialisation of {@link InstanceCreate}: the password in plain text, hashed by the Core at once. */
    record GuestInitRequest(String hostname, String adminUser, String adminPassword, java.util.List<String> sshKeys,
                            java.util.List<io.skiff.api.model.GuestInit.Mount> mounts) {

        io.skiff.api.model.GuestInit toModel() {
            return new io.skiff.api.model.GuestInit(hostname, adminUser, adminPassword, null, sshKeys, mounts);
        }

        @Override
        public String toString() {
            return "GuestInitRequest[hostname=" + hostname + ", adminUser=" + adminUser + ", adminPassword=***]";
        }
    }

    /** {@code POST /instances/{id}/password}. */
    record PasswordReset(String user, String password) {
        @Override
        public String toString() {
            return "PasswordReset[user=" + user + ", password=***]";
        }
    }

    /** {@code POST /instances/{id}/hostname}. */
    record HostnameChange(String hostname) {
    }

    /** A disk of {@link InstanceCreate}. */
    record Disk(Long sizeBytes, String storagePool, String imageId, String cloneMode) {
    }

    /** {@code POST /instances/{id}/snapshots}. */
    record SnapshotCreate(String name, String description) {
    }

    /** {@code PUT /instances/{id}}. */
    record InstanceModify(String name, Integer cores, Long memoryBytes, String restartPolicy) {
    }

    /** {@code PUT /instances/{id}/labels}: the instance's new labels, all of them. */
    record LabelsChange(java.util.Map<String, String> labels) {
    }

    /** {@code POST /instances/{id}/disks/{n}/resize}. */
    record DiskResize(Long sizeBytes) {
    }

    /** {@code POST /instances/{id}/media}: a medium's id or name. */
    record MediaInsert(String media) {
    }

    /** {@code PUT /instances/{id}/boot-from}: {@code disk} or {@code cdrom}. */
    record BootFrom(String bootFrom) {
    }

    /** {@code POST /instances/{id}/disks}. */
    record DiskAdd(Long sizeBytes, String storagePool) {
    }

    /** {@code POST /instances/{id}/image}. */
    record ImageCapture(String name, java.util.List<String> tags) {
    }

    /** {@code POST /images}. */
    record ImageImport(String name, String path) {
    }

    /** {@code POST /address-pools}. */
    record AddressPoolCreate(String name, java.util.List<Range> ranges, Integer prefixLength, String gateway,
                             java.util.List<String> dnsServers, String domain, java.util.List<String> computePools) {
    }

    /** {@code PUT /address-pools/{id}}. */
    record AddressPoolUpdate(String gateway, java.util.List<String> dnsServers, String domain) {
    }

    /** A range of {@link AddressPoolCreate}; {@code POST /address-pools/{id}/ranges}. */
    record Range(String first, String last) {
    }

    /** {@code POST /address-pools/{id}/attach} and {@code detach}, the same for {@code /storage-pools/{id}}. */
    record ComputePoolChoice(String computePool) {
    }

    /**
     * {@code POST /storage-pools}: {@code type} {@code local} (optional {@code path}) or {@code nfs} ({@code server},
     * {@code export}, optional {@code mode} {@code libnfs} or {@code mount}).
     */
    record StoragePoolCreate(String name, String type, String server, String export, String mode, String path) {
    }

    /** {@code POST /instances/{id}/address}, {@code PUT /address-pools/{id}/bindings/{instance}}. */
    record AddressChoice(String address) {
    }

    /** Quota limits in users and groups; {@code null} is unlimited. */
    record QuotaBody(Integer instances, Integer cores, Long memoryMiB, Long diskGiB) {
        io.skiff.api.model.Quota toQuota() {
            return new io.skiff.api.model.Quota(instances, cores, memoryMiB, diskGiB);
        }
    }

    /** {@code POST /users}. */
    record UserCreate(String name, String displayName, String group, java.util.List<String> roles, String password,
                      QuotaBody quota) {
    }

    /** {@code PUT /users/{name}}: {@code null} keeps a value. */
    record UserUpdate(String displayName, String group, java.util.List<String> roles, Boolean enabled,
                      QuotaBody quota) {
    }

    /** {@code POST /users/{name}/password}. */
    /** @param keys OpenSSH {@code authorized_keys} lines; empty removes every key */
    record SshKeys(java.util.List<String> keys) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    /** {@code POST /groups}, {@code PUT /groups/{name}}. */
    record GroupBody(String name, String description, Boolean shareResources, QuotaBody quota, String parent) {
    }

    /** {@code POST /roles}, {@code PUT /roles/{name}}. */
    record RoleBody(String name, java.util.Set<String> permissions, String description) {
    }

    static <T> T required(T body) {
        if (body == null) {
            throw SkiffException.invalid("body", "a JSON body is required");
        }
        return body;
    }

    /**
     * @return the field of a (required) body, when it is set
     * @throws SkiffException {@code invalid(field, field + " is required")} when the body or the field is missing
     */
    static <T, V> V require(T body, java.util.function.Function<T, V> getter, String field) {
        V value = getter.apply(required(body));
        if (value == null) {
            throw SkiffException.invalid(field, field + " is required");
        }
        return value;
    }
}
