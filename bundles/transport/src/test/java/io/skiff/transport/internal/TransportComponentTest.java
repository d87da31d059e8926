package io.skiff.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skiff.osgi.support.host.HostNames;

/** The DS component with its metatype defaults (host name as node name), on its own ports 27940-27950. */
class TransportComponentTest {

    record Ping(String text) {
    }

    @TempDir
    Path dir;

    @Test
    void activatesWithDefaultsAnswersItselfAndClosesOnDeactivate() throws Exception {
        Path key = dir.resolve("etc/skiff-cluster.key");
        TransportComponent component = new TransportComponent();
        component.activate(TransportSettingsTest.config(Map.of(
                "domain", "component-test", "bindPort", 27940, "members", "127.0.0.1[27940]",
                "keyFile", key.toString())));
        try {
            assertEquals("component-test", component.domain());
            assertEquals(HostNames.system().name(), component.localNode());
            assertEquals(1, component.members().size());
            assertTrue(Files.exists(key));
            component.subscribe("test.ping", m -> new Ping("pong to " + m.body(Ping.class).text()));
            Ping reply = component.request(component.localNode(), "test.ping", new Ping("me"), Ping.class,
                    Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertEquals(new Ping("pong to me"), reply);
        } finally {
            component.deactivate();
        }
    }
}
