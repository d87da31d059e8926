package io.skiff.libvirtwrapper.internal;

import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Switches off libvirt's printing of every error to stderr ("libvirt: ... error : ...") for the whole JVM, while
 * this bundle runs: Skiff reports the errors it cares about itself (libvirt-java hands each one over as a
 * {@code LibvirtException} as well). The error function is registered here, in the bundle that holds libvirt-java's
 * classes, because native code keeps calling it: one registered by a provider bundle (each has its own private copy
 * of Skiff's libvirt support) would be freed when that bundle is updated or removed, and the next libvirt error
 * would call freed memory.
 */
public final class SilentLibvirtErrors implements BundleActivator {

    /** libvirt-java's own error function, which does nothing; held here for as long as libvirt may call it. */
    private static final ErrorCallback SILENT = new ErrorCallback();
    private volatile boolean set;

    @Override
    public void start(BundleContext context) {
        try {
            Connect.setErrorCallback(SILENT);
            set = true;
        } catch (LibvirtException | RuntimeException | LinkageError e) {
            // libvirt is not installed on this host: the providers say so themselves, on their first call
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (set) {
            try {
                // back to libvirt's default before this class (and SILENT with it) can go away
                Connect.setErrorCallback(null);
            } catch (LibvirtException | RuntimeException | LinkageError e) {
                // nothing left to undo
            }
            set = false;
        }
    }
}
