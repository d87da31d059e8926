package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainLifecycleEvent;
import io.skiff.api.spi.DomainLifecycleEvent.Kind;
import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import io.skiff.libvirt.SkiffDomains;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.Library;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * libvirt's domain lifecycle events of Skiff's domains, as {@link DomainLifecycleEvent}s, on a connection of their
 * own (opened after the event loop is registered, as libvirt requires; the calls' shared connection may predate it).
 *
 * <p>libvirt delivers events only while an event loop runs: {@code virEventRegisterDefaultImpl} once per process
 * ({@link Library#initEventLoop}; the system property {@value #LOOP_PROPERTY} remembers it across updates of this
 * bundle, since libvirt must not register it twice), and a thread that runs it ({@link Library#processEvent}). The
 * connection is checked every {@code checkMillis} and opened again (listener and all) when libvirtd went away;
 * events while it was gone are lost, so whoever listens should compare states after a reconnection.
 */
final class DomainLifecycleEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DomainLifecycleEvents.class);
    /** Set once libvirt's default event loop is registered in this JVM. */
    static final String LOOP_PROPERTY = "skiff.libvirt.eventLoopRegistered";

    private final String uri;
    private final LibvirtConnection.Endpoint endpoint;
    private final Consumer<DomainLifecycleEvent> listener;
    private final ScheduledExecutorService checker;
    private final LifecycleListener callback = this::onLifecycleChange;
    private volatile boolean closed;
    private Thread loop;
    private Connect connect;

    private DomainLifecycleEvents(String uri, LibvirtConnection.Endpoint endpoint,
                                  Consumer<DomainLifecycleEvent> listener) {
        this.uri = uri;
        this.endpoint = endpoint;
        this.listener = listener;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-libvirt-events-check");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts telling {@code listener} of the lifecycle changes of Skiff's domains at {@code uri}.
     *
     * @throws SkiffException {@code UNAVAILABLE} when libvirt cannot run an event loop or the connection for events
     *     cannot be opened
     */
    static DomainLifecycleEvents start(String uri, LibvirtConnection.Endpoint endpoint,
                                       Consumer<DomainLifecycleEvent> listener, long checkMillis) {
        registerEventLoop();
        DomainLifecycleEvents events = new DomainLifecycleEvents(uri, endpoint, listener);
        try {
            events.connect();
        } catch (LibvirtException | RuntimeException e) {
            events.close();
            throw SkiffException.unavailable("no lifecycle events from libvirt at " + uri + ": "
                    + (e instanceof LibvirtException le ? LibvirtErrors.reason(le) : e.toString()));
        }
        events.loop = new Thread(events::runLoop, "skiff-libvirt-events");
        events.loop.setDaemon(true);
        events.loop.start();
        events.checker.scheduleWithFixedDelay(events::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        return events;
    }

    private static synchronized void registerEventLoop() {
        if (Boolean.getBoolean(LOOP_PROPERTY)) {
            return;
        }
        try {
            Library.initEventLoop();
            System.setProperty(LOOP_PROPERTY, "true");
        } catch (LibvirtException | RuntimeException | LinkageError e) {
            throw SkiffException.unavailable("libvirt cannot run an event loop: " + e);
        }
    }

    private synchronized void connect() throws LibvirtException {
        Connect c = endpoint.open(uri);
        try {
            c.addLifecycleListener(callback);
        } catch (LibvirtException | RuntimeException e) {
            endpoint.close(c);
            throw e;
        }
        connect = c;
    }

    /** Runs libvirt's event loop until closed (each round waits for the next event or timer). */
    private void runLoop() {
        while (!closed) {
            try {
                Library.processEvent();
            } catch (LibvirtException | RuntimeException e) {
                LOG.warn("libvirt event loop: {}", e.toString());
            }
        }
    }

    /** Opens the connection again when libvirtd went away (restarted, or stopped and back). */
    private void check() {
        synchronized (this) {
            if (closed || connect != null && endpoint.isAlive(connect)) {
                return;
            }
            if (connect != null) {
                LOG.warn("lifecycle events from libvirt at {}: connection lost; opening it again", uri);
                endpoint.close(connect);
                connect = null;
            }
            try {
                connect();
                LOG.info("lifecycle events from libvirt at {}: connected again", uri);
            } catch (LibvirtException | RuntimeException e) {
                LOG.debug("lifecycle events from libvirt at {}: not connected yet: {}", uri, e.toString());
            }
        }
    }

    private int onLifecycleChange(Domain domain, DomainEvent event) {
        try {
            DomainLifecycleEvent e = translate(domain.getName(), event.getType(), String.valueOf(
                    (Object) event.getDetail()));
            if (e != null) {
                LOG.debug("domain of instance {}: {} ({})", e.instanceId(), e.kind(), e.detail());
                listener.accept(e);
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("a lifecycle event of libvirt was not handled: {}", e.toString());
        }
        return 0;
    }

    /**
     * @param domainName the domain's name; only Skiff's ({@code skiff-<id>}) are told of
     * @param detail libvirt's detail of the event (e.g. {@code FAILED} of a stop)
     * @return the event, or {@code null} for another domain's or one that does not matter here
     */
    static DomainLifecycleEvent translate(String domainName, DomainEventType type, String detail) {
        if (domainName == null || !domainName.startsWith(SkiffDomains.NAME_PREFIX)) {
            return null;
        }
        String id = domainName.substring(SkiffDomains.NAME_PREFIX.length());
        Kind kind = switch (type) {
            case STARTED -> Kind.STARTED;
            case STOPPED -> switch (detail) {
                case "CRASHED", "FAILED" -> Kind.CRASHED;
                case "SHUTDOWN" -> Kind.SHUT_DOWN;
                case "DESTROYED" -> Kind.DESTROYED;
                default -> Kind.STOPPED_OTHER; // MIGRATED, SAVED, FROM_SNAPSHOT, UNKNOWN
            };
            case CRASHED -> Kind.PANICKED;
            default -> null;
        };
        return kind == null ? null : new DomainLifecycleEvent(id, kind, type + " " + detail);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (connect != null) {
                try {
                    connect.removeLifecycleListener(callback);
                } catch (LibvirtException | RuntimeException e) {
                    LOG.debug("removing the lifecycle listener failed: {}", e.toString());
                }
                endpoint.close(connect);
                connect = null;
            }
        }
        checker.shutdownNow();
        // the loop thread ends with libvirt's next event or timer (it is a daemon either way)
    }
}
