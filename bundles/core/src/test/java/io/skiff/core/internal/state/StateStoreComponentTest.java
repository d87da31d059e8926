package io.skiff.core.internal.state;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StateStoreComponentTest {

    @Test
    void dataDirDefaultsToKarafData() {
        String saved = System.getProperty("karaf.data");
        try {
            System.setProperty("karaf.data", "/opt/skiff/data");
            assertEquals(Paths.get("/opt/skiff/data/skiff/state"), StateStoreComponent.dataDir(""));
            assertEquals(Paths.get("/srv/state"), StateStoreComponent.dataDir(" /srv/state "));
        } finally {
            if (saved == null) {
                System.clearProperty("karaf.data");
            } else {
                System.setProperty("karaf.data", saved);
            }
        }
    }
}
