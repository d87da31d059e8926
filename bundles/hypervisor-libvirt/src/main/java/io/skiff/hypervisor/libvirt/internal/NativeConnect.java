package io.skiff.hypervisor.libvirt.internal;

import io.skiff.libvirt.LibvirtConnection;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.Libvirt;

/**
 * A libvirt-java connection that hands out its native {@code virConnectPtr}, for the few calls libvirt-java 0.5.2
 * does not map ({@link DomainTuning}). libvirt-java keeps that pointer in the protected field {@code vcp}; a
 * subclass reads it without reflection. Everything else is plain libvirt-java.
 */
final class NativeConnect extends Connect {

    /** Same as libvirt-support's: libvirt would print every error to stderr; Skiff reports them itself. */
    private static final Libvirt.VirErrorCallback SILENT_ERRORS = (userData, error) -> {
    };
    private static volatile boolean errorsSilenced;

    /** {@link LibvirtConnection#LIBVIRT}, opening {@link NativeConnect}s. */
    static final LibvirtConnection.Endpoint ENDPOINT = new LibvirtConnection.Endpoint() {
        @Override
        public Connect open(String uri) throws LibvirtException {
            if (!errorsSilenced) {
                try {
                    Connect.setErrorCallback(SILENT_ERRORS);
                    errorsSilenced = true;
                } catch (LibvirtException | RuntimeException e) {
                    // only noise on stderr
                }
            }
            return new NativeConnect(uri);
        }

        @Override
        public boolean isAlive(Connect connect) {
            return LibvirtConnection.LIBVIRT.isAlive(connect);
        }

        @Override
        public void close(Connect connect) {
            LibvirtConnection.LIBVIRT.close(connect);
        }
    };

    private NativeConnect(String uri) throws LibvirtException {
        super(uri, false);
    }

    /** @return the native connection; valid while this connection is open */
    ConnectionPointer pointer() {
        return vcp;
    }
}
