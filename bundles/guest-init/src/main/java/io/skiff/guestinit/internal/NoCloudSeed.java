package io.skiff.guestinit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitSpec.DataDiskMount;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The two files of a cloud-init NoCloud seed. {@code meta-data} carries the instance id and host name;
 * {@code user-data} is a {@code #cloud-config} document. Both are written as JSON, which is valid YAML, so every
 * value is quoted correctly whatever it contains. The spec is validated first: a bad value is refused with the field
 * it came from, before anything is written.
 */
final class NoCloudSeed {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern CRYPT = Pattern.compile("\\$(1|5|6|y|2[aby])\\$[./A-Za-z0-9$=,]+");
    private static final Pattern SSH_KEY = Pattern.compile("(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\\r\\n]*)?");
    private static final Pattern DEVICE = Pattern.compile("[a-z]{2,4}[a-z0-9]{0,4}");
    private static final Pattern MOUNT_POINT = Pattern.compile("/[A-Za-z0-9._/-]*");
    private static final List<String> FILESYSTEMS = List.of("ext4", "ext3", "xfs", "btrfs", "vfat");

    private final String metaData;
    private final String userData;

    private NoCloudSeed(String metaData, String userData) {
        this.metaData = metaData;
        this.userData = userData;
    }

    static NoCloudSeed of(String instanceId, GuestInitSpec spec) {
        validate(spec);
        StringBuilder meta = new StringBuilder();
        meta.append("instance-id: ").append(quote(instanceId)).append('\n');
        meta.append("local-hostname: ").append(quote(spec.hostname())).append('\n');
        return new NoCloudSeed(meta.toString(), "#cloud-config\n" + json(cloudConfig(spec)) + "\n");
    }

    String metaData() {
        return metaData;
    }

    String userData() {
        return userData;
    }

    static void validate(GuestInitSpec spec) {
        String hostname = spec.hostname();
        if (hostname == null || hostname.isEmpty() || hostname.length() > 253) {
            throw SkiffException.invalid("hostname", "a host name of 1 to 253 characters is required");
        }
        for (String label : hostname.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                throw SkiffException.invalid("hostname", "'" + hostname + "' is not a valid host name: labels of "
                        + "letters, digits and inner hyphens, 1 to 63 characters, separated by dots");
            }
        }
        if (spec.adminUser() != null && !USER.matcher(spec.adminUser()).matches()) {
            throw SkiffException.invalid("adminUser", "'" + spec.adminUser() + "' is not a valid user name "
                    + "(lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32)");
        }
        if (spec.adminPasswordHash() != null) {
            if (spec.adminUser() == null) {
                throw SkiffException.invalid("adminUser", "a password needs the user it belongs to");
            }
            if (!CRYPT.matcher(spec.adminPasswordHash()).matches()) {
                throw SkiffException.invalid("adminPasswordHash", "not a crypt(3) hash such as $6$salt$hash");
            }
        }
        for (int i = 0; i < spec.sshKeys().size(); i++) {
            String key = spec.sshKeys().get(i);
            if (key == null || !SSH_KEY.matcher(key.strip()).matches()) {
                throw SkiffException.invalid("sshKeys[" + i + "]", "not an OpenSSH public key on one line "
                        + "('ssh-ed25519 AAAA... comment')");
            }
        }
        if (!spec.sshKeys().isEmpty() && spec.adminUser() == null) {
            throw SkiffException.invalid("adminUser", "SSH keys need the user they are authorised for");
        }
        List<String> devices = new ArrayList<>();
        List<String> mountPoints = new ArrayList<>();
        for (int i = 0; i < spec.dataDisks().size(); i++) {
            DataDiskMount disk = spec.dataDisks().get(i);
            String field = "dataDisks[" + i + "]";
            if (disk.device() == null || !DEVICE.matcher(disk.device()).matches()) {
                throw SkiffException.invalid(field + ".device", "a guest device name such as 'vdb' is required");
            }
            if (disk.filesystem() == null || !FILESYSTEMS.contains(disk.filesystem())) {
                throw SkiffException.invalid(field + ".filesystem", "one of " + FILESYSTEMS + " is required");
            }
            if (disk.mountPoint() == null || !MOUNT_POINT.matcher(disk.mountPoint()).matches()
                    || disk.mountPoint().equals("/") || disk.mountPoint().contains("..")) {
                throw SkiffException.invalid(field + ".mountPoint", "an absolute path other than '/' is required");
            }
            if (devices.contains(disk.device())) {
                throw SkiffException.invalid(field + ".device", "device '" + disk.device() + "' is listed twice");
            }
            if (mountPoints.contains(disk.mountPoint())) {
                throw SkiffException.invalid(field + ".mountPoint", "'" + disk.mountPoint() + "' is listed twice");
            }
            devices.add(disk.device());
            mountPoints.add(disk.mountPoint());
        }
    }

    private static Map<String, Object> cloudConfig(GuestInitSpec spec) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("hostname", spec.hostname().contains(".")
                ? spec.hostname().substring(0, spec.hostname().indexOf('.')) : spec.hostname());
        if (spec.hostname().contains(".")) {
            config.put("fqdn", spec.hostname());
        }
        config.put("preserve_hostname", false);
        if (spec.adminUser() != null) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("name", spec.adminUser());
            user.put("groups", List.of("sudo"));
            user.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
            user.put("shell", "/bin/bash");
            if (spec.adminPasswordHash() != null) {
                user.put("lock_passwd", false);
                user.put("passwd", spec.adminPasswordHash());
            }
            if (!spec.sshKeys().isEmpty()) {
                user.put("ssh_authorized_keys", spec.sshKeys().stream().map(String::strip).toList());
            }
            config.put("users", List.of("default", user));
            config.put("ssh_pwauth", spec.adminPasswordHash() != null);
        }
        if (!spec.dataDisks().isEmpty()) {
            List<Object> filesystems = new ArrayList<>();
            List<Object> mounts = new ArrayList<>();
            for (DataDiskMount disk : spec.dataDisks()) {
                Map<String, Object> fs = new LinkedHashMap<>();
                fs.put("device", "/dev/" + disk.device());
                fs.put("filesystem", disk.filesystem());
                fs.put("partition", "none");
                fs.put("overwrite", false);
                filesystems.add(fs);
                mounts.add(List.of("/dev/" + disk.device(), disk.mountPoint(), disk.filesystem(),
                        "defaults,nofail", "0", "2"));
            }
            config.put("fs_setup", filesystems);
            config.put("mounts", mounts);
        }
        return config;
    }

    private static String quote(String value) {
        return json(value);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
