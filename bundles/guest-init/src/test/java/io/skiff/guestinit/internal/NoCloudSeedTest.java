package io.skiff.guestinit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.GuestInitSpec;
import io.skiff.api.spi.GuestInitSpec.DataDiskMount;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoCloudSeedTest {
    private static final String HASH = "$6$rounds=5000$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789./ABCDEFGHIJKLMNOPQRSTUVWX";
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9uZSBrZXkgZm9yIHRlc3Rz alice@laptop";

    @Test
    void metaDataNamesInstanceAndHostInQuotedLines() {
        NoCloudSeed seed = NoCloudSeed.of("i-123", GuestInitSpec.hostnameOnly("web-1"));
        assertEquals("instance-id: \"i-123\"\nlocal-hostname: \"web-1\"\n", seed.metaData());
    }

    @Test
    void userDataIsACloudConfigWithUserKeysAndDisks() throws Exception {
        GuestInitSpec spec = new GuestInitSpec("db-1.example.org", "alice", HASH, List.of(KEY),
                List.of(new DataDiskMount("vdb", "ext4", "/data")));
        String userData = NoCloudSeed.of("i-1", spec).userData();
        assertTrue(userData.startsWith("#cloud-config\n"), userData);
        JsonNode config = new ObjectMapper().readTree(userData.substring(userData.indexOf('\n') + 1));
        assertEquals("db-1", config.path("hostname").asText());
        assertEquals("db-1.example.org", config.path("fqdn").asText());
        JsonNode user = config.path("users").get(1);
        assertEquals("default", config.path("users").get(0).asText());
        assertEquals("alice", user.path("name").asText());
        assertEquals(HASH, user.path("passwd").asText());
        assertFalse(user.path("lock_passwd").asBoolean(true));
        assertEquals(KEY, user.path("ssh_authorized_keys").get(0).asText());
        assertTrue(config.path("ssh_pwauth").asBoolean());
        assertEquals("/dev/vdb", config.path("fs_setup").get(0).path("device").asText());
        assertFalse(config.path("fs_setup").get(0).path("overwrite").asBoolean(true), "never reformat a used disk");
        assertEquals("/data", config.path("mounts").get(0).get(1).asText());
    }

    @Test
    void hostnameOnlySeedHasNoUsers() throws Exception {
        String userData = NoCloudSeed.of("i-1", GuestInitSpec.hostnameOnly("plain")).userData();
        JsonNode config = new ObjectMapper().readTree(userData.substring(userData.indexOf('\n') + 1));
        assertTrue(config.path("users").isMissingNode());
        assertTrue(config.path("fs_setup").isMissingNode());
    }

    @Test
    void badValuesAreRefusedWithTheirField() {
        assertField("hostname", new GuestInitSpec("", null, null, null, null));
        assertField("hostname", new GuestInitSpec("bad_host", null, null, null, null));
        assertField("hostname", new GuestInitSpec("-lead.example", null, null, null, null));
        assertField("hostname", new GuestInitSpec("a\nb", null, null, null, null));
        assertField("adminUser", new GuestInitSpec("h", "Root!", null, null, null));
        assertField("adminUser", new GuestInitSpec("h", null, HASH, null, null));
        assertField("adminPasswordHash", new GuestInitSpec("h", "alice", "plain-password", null, null));
        assertField("sshKeys[0]", new GuestInitSpec("h", "alice", null, List.of("not a key"), null));
        assertField("sshKeys[0]", new GuestInitSpec("h", "alice", null, List.of(KEY + "\nruncmd: [x]"), null));
        assertField("adminUser", new GuestInitSpec("h", null, null, List.of(KEY), null));
        assertField("dataDisks[0].device", new GuestInitSpec("h", null, null, null,
                List.of(new DataDiskMount("../sda", "ext4", "/data"))));
        assertField("dataDisks[0].filesystem", new GuestInitSpec("h", null, null, null,
                List.of(new DataDiskMount("vdb", "ntfs", "/data"))));
        assertField("dataDisks[0].mountPoint", new GuestInitSpec("h", null, null, null,
                List.of(new DataDiskMount("vdb", "ext4", "/"))));
        assertField("dataDisks[1].device", new GuestInitSpec("h", null, null, null,
                List.of(new DataDiskMount("vdb", "ext4", "/a"), new DataDiskMount("vdb", "ext4", "/b"))));
        assertField("dataDisks[1].mountPoint", new GuestInitSpec("h", null, null, null,
                List.of(new DataDiskMount("vdb", "ext4", "/a"), new DataDiskMount("vdc", "ext4", "/a"))));
    }

    @Test
    void theCoresRulesHoldHereToo() {
        // the seed once took other crypt hashes and root spelt differently; the Core's rules (guest-input) do not
        for (String hash : List.of("$1$salt$abcdefghijklmnopqrstuv", "$5$salt$abcdef", "$y$j9T$salt$hash")) {
            assertField("adminPasswordHash", new GuestInitSpec("h", "alice", hash, null, null));
        }
        for (String point : List.of("//", "/.", "/data/", "/a//b")) {
            assertField("dataDisks[0].mountPoint", new GuestInitSpec("h", null, null, null,
                    List.of(new DataDiskMount("vdb", "ext4", point))));
        }
        assertField("sshKeys[0]", new GuestInitSpec("h", "alice", null,
                List.of("ssh-ed25519 AAAA" + "A".repeat(16384)), null));
    }

    private static void assertField(String field, GuestInitSpec spec) {
        SkiffException e = assertThrows(SkiffException.class, () -> NoCloudSeed.of("i-1", spec));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(SkiffException.Kind.INVALID, e.kind());
    }
}
