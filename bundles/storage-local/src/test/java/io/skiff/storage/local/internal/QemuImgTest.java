package io.skiff.storage.local.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QemuImgTest {

    @Test
    void dataEndIsTheEndOfTheLastRangeWithData() {
        // qemu-img 7.2 map --output=json of a 64 MiB image with 1 MiB written at 40 MiB
        String map = """
                [{ "start": 0, "length": 41943040, "depth": 0, "present": false, "zero": true, "data": false},
                { "start": 41943040, "length": 1048576, "depth": 0, "present": true, "zero": false, "data": true, "offset": 327680},
                { "start": 42991616, "length": 24117248, "depth": 0, "present": false, "zero": true, "data": false}]
                """;
        assertEquals(42991616L, QemuImg.dataEnd(map));
    }

    @Test
    void zeroClustersAndEmptyImagesHoldNoData() {
        assertEquals(0L, QemuImg.dataEnd("[{ \"start\": 0, \"length\": 67108864, \"depth\": 0, \"present\": false,"
                + " \"zero\": true, \"data\": false}]"));
        assertEquals(0L, QemuImg.dataEnd("[{ \"start\": 0, \"length\": 1048576, \"depth\": 0, \"present\": true,"
                + " \"zero\": true, \"data\": true, \"offset\": 1024}]"));
        assertEquals(0L, QemuImg.dataEnd("[]"));
    }
}
