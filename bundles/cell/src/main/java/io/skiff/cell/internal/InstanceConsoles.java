package io.skiff.cell.internal;

import io.skiff.api.cell.ConsoleLog;
import io.skiff.api.cell.ConsoleLogRequest;
import io.skiff.api.cell.InstanceAction;
import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.ConsoleEndpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The instances' consoles: the tail of a serial console log, and where a running instance's VNC server listens. */
final class InstanceConsoles {
    private final CellInstanceStore files;
    private final CellProviders providers;
    private final CellDirectories dirs;
    private final String consoleListen;
    private final String node;

    InstanceConsoles(CellInstanceStore files, CellProviders providers, CellDirectories dirs, String consoleListen,
                     String node) {
        this.files = files;
        this.providers = providers;
        this.dirs = dirs;
        this.consoleListen = consoleListen;
        this.node = node;
    }

    /** @return the last {@code maxBytes} of the serial console log (empty before the instance first ran) */
    ConsoleLog log(ConsoleLogRequest request) throws IOException {
        Path log = dirs.consoleLog(request.instanceId());
        if (!Files.exists(log)) {
            return new ConsoleLog(request.instanceId(), "", 0);
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long size = file.length();
            long from = Math.max(0, size - request.maxBytes());
            byte[] bytes = new byte[(int) (size - from)];
            file.seek(from);
            file.readFully(bytes);
            return new ConsoleLog(request.instanceId(), new String(bytes, StandardCharsets.UTF_8), size);
        }
    }

    /** @return where the running instance's VNC server listens, with its password */
    ConsoleEndpoint endpoint(InstanceAction action) throws IOException {
        String id = action.instanceId();
        CellInstanceFile file = files.require(id);
        int port = providers.hypervisor().consolePort(id);
        if (port <= 0) {
            throw SkiffException.conflict("instance", "instance " + id + " is not running on cell " + node
                    + "; its console opens once it runs");
        }
        return new ConsoleEndpoint(consoleListen, port, file.consolePassword(), id);
    }
}
