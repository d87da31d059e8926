package io.skiff.storage.nfs.internal;

import com.emc.ecs.nfsclient.network.NetMgr;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Closes the Java NFS client's connections and Netty threads when this bundle stops. The client keeps them in a
 * static singleton of this bundle's own (embedded) copy, shared by every activation of the backend, so they can only
 * go when the bundle's classes go: at bundle stop (update, uninstall), not at a component's deactivation.
 */
public class NfsClientActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        // nothing: the client connects on first use
    }

    @Override
    public void stop(BundleContext context) {
        NetMgr.getInstance().shutdown();
    }
}
