package io.skiff.storage.local.internal;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

import java.util.UUID;

/** Pools the tests define, and their removal (also after a failed test). */
final class TestPools {
    private TestPools() {
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stops and undefines a pool; its directory stays (the test's temporary directory holds it). */
    static void remove(Connect connect, String poolName) throws LibvirtException {
        StoragePool pool;
        try {
            pool = connect.storagePoolLookupByName(poolName);
        } catch (LibvirtException notThere) {
            return;
        }
        if (pool.isActive() != 0) {
            pool.destroy();
        }
        pool.undefine();
    }
}
