package io.skiff.snapshot.qcow2.internal;

import io.skiff.api.spi.SnapshotProvider;
import io.skiff.libvirt.LibvirtConnection;

/** Lets the snapshot benchmark build the provider as the Cell does, without OSGi (same package, plain class path). */
public final class BenchmarkAccess {
    private BenchmarkAccess() {
    }

    public static SnapshotProvider provider(String uri) {
        return new Qcow2SnapshotProvider(new LibvirtConnection(uri));
    }
}
