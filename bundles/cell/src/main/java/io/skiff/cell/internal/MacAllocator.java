package io.skiff.cell.internal;

import io.skiff.api.spi.Hypervisor;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/** Gives each instance of the cell a MAC address of its own, once (its file keeps it). */
final class MacAllocator {
    private final CellInstanceStore files;
    private final CellProviders providers;
    private final Object lock;
    private final Random random;
    private final String node;

    /** @param lock the cell's instance lock: an address is chosen and saved in the instance's file under it */
    MacAllocator(CellInstanceStore files, CellProviders providers, Object lock, Random random, String node) {
        this.files = files;
        this.providers = providers;
        this.lock = lock;
        this.random = random;
        this.node = node;
    }

    /** @return a locally administered MAC in QEMU's 52:54:00 range that no instance file and no domain here uses */
    String newMac() throws IOException {
        synchronized (lock) {
            Set<String> used = new HashSet<>();
            for (CellInstanceFile f : files.all()) {
                if (f.mac() != null) {
                    used.add(f.mac().toLowerCase(Locale.ROOT));
                }
            }
            Hypervisor h = providers.hypervisorIfPresent();
            if (h != null) {
                h.domains().forEach(d -> used.addAll(d.macs() == null ? List.of() : d.macs()));
            }
            for (int attempt = 0; attempt < 1000; attempt++) {
                String mac = String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256),
                        random.nextInt(256));
                if (!used.contains(mac)) {
                    return mac;
                }
            }
            throw new IOException("no free MAC address found on cell " + node);
        }
    }
}
