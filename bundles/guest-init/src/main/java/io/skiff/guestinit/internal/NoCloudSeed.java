package io.skiff.guestinit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitSpec.DataDiskMount;
import io.skiff.guestinput.GuestInput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two files of a cloud-init NoCloud seed. {@code meta-data} carries the instance id and host name;
 * {@code user-data} is a {@code #cloud-config} document. Both are written as JSON, which is valid YAML, so every
 * value is quoted correctly whatever it contains. The spec is validated first, with the Core's rules
 * ({@link GuestInput}): a bad value is refused with the field it came from, before anything is written.
 */
final class NoCloudSeed {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A guest's block device name, e.g. {@code vdb}, {@code sdc}, {@code hdb}. */
    private static final Pattern DEVICE = Pattern.compile("[a-z]{2,4}[a-z0-9]{0,4}");

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

    /**
     * Checks the spec again where the seed is written, with the rules the Core checked the request with
     * ({@link GuestInput}); only the guest device names are the seed's own (the Core makes them from disk indexes).
     */
    static void validate(GuestInitSpec spec) {
        GuestInput.hostname("hostname", spec.hostname());
        if (spec.adminUser() != null) {
            GuestInput.user("adminUser", spec.adminUser());
        }
        GuestInput.requireUser("adminUser", spec.adminUser(), spec.adminPasswordHash() != null,
                !spec.sshKeys().isEmpty());
        if (spec.adminPasswordHash() != null) {
            GuestInput.passwordHash("adminPasswordHash", spec.adminPasswordHash());
        }
        for (int i = 0; i < spec.sshKeys().size(); i++) {
            GuestInput.sshKey("sshKeys[" + i + "]", spec.sshKeys().get(i));
        }
        Set<String> devices = new HashSet<>();
        Set<String> mountPoints = new HashSet<>();
        for (int i = 0; i < spec.dataDisks().size(); i++) {
            DataDiskMount disk = spec.dataDisks().get(i);
            String field = "dataDisks[" + i + "]";
            if (disk.device() == null || !DEVICE.matcher(disk.device()).matches()) {
                throw SkiffException.invalid(field + ".device", "a guest device name such as 'vdb' is required");
            }
            GuestInput.filesystem(field + ".filesystem", disk.filesystem());
            if (!devices.add(disk.device())) {
                throw SkiffException.invalid(field + ".device", "device '" + disk.device() + "' is listed twice");
            }
            GuestInput.mountPoint(field + ".mountPoint", disk.mountPoint(), mountPoints);
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
