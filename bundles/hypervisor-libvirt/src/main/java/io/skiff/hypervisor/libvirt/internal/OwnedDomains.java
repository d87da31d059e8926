package io.skiff.hypervisor.libvirt.internal;

import io.skiff.api.service.SkiffException;
import io.skiff.api.spi.DomainState;
import io.skiff.libvirt.LibvirtConnection;
import io.skiff.libvirt.LibvirtErrors;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Skiff's domains on one {@link LibvirtConnection}: the one way the capability classes of this provider reach a
 * domain. An instance's domain is found by its name ({@code skiff-<instanceId>}) and is only Skiff's when its XML
 * carries Skiff's metadata tag for that instance; a domain of that name without the tag is never changed
 * ({@code CONFLICT}). Every domain handed to a call is freed after it. libvirt's errors become
 * {@link SkiffException}s that name the instance (or the host) and the action ({@link LibvirtErrors#toSkiff}).
 * <p>
 * Parsed domain XML is kept by domain name, UUID and runtime id: reports read every domain every two seconds, and
 * the XML only changes with a (re)definition or a start (which changes the runtime id). Whoever changes a domain's
 * devices without a new runtime id calls {@link #forget}.
 */
final class OwnedDomains {

    /** More cached descriptions than this and the cache starts afresh (domains come and go). */
    static final int MAX_CACHED = 50_000;

    private final LibvirtConnection connection;
    private final Map<String, DomainDescription> descriptions = new ConcurrentHashMap<>();

    OwnedDomains(LibvirtConnection connection) {
        this.connection = connection;
    }

    LibvirtConnection connection() {
        return connection;
    }

    /** A Skiff-owned domain and what its XML says. */
    record Owned(Domain domain, DomainDescription description) {
    }

    @FunctionalInterface
    interface DomainCall<T> {
        T apply(Domain domain) throws LibvirtException;
    }

    @FunctionalInterface
    interface ConnectedDomainCall<T> {
        T apply(Connect connect, Domain domain) throws LibvirtException;
    }

    /** Runs a call on the instance's domain; {@code NOT_FOUND} when there is none. */
    <T> T withOwned(String instanceId, String action, DomainCall<T> call) {
        return withOwned(instanceId, action, (c, d) -> call.apply(d));
    }

    /** Runs a call on the instance's domain and the connection it came from; {@code NOT_FOUND} when there is none. */
    <T> T withOwned(String instanceId, String action, ConnectedDomainCall<T> call) {
        DomainXml.checkInstanceId(instanceId);
        return call(instanceId, action, c -> {
            Owned owned = lookupOwned(c, instanceId);
            if (owned == null) {
                throw new SkiffException(SkiffException.Kind.NOT_FOUND, "not-found", "instance " + instanceId
                        + ": " + action + " failed: domain " + DomainXml.domainName(instanceId)
                        + " is not defined on this host", null);
            }
            try {
                return call.apply(c, owned.domain());
            } finally {
                owned.domain().free();
            }
        });
    }

    /** Runs a call on the instance's domain; {@code null} without calling when there is none. */
    <T> T withOwnedIfAny(String instanceId, String action, DomainCall<T> call) {
        DomainXml.checkInstanceId(instanceId);
        return call(instanceId, action, c -> {
            Owned owned = lookupOwned(c, instanceId);
            if (owned == null) {
                return null;
            }
            try {
                return call.apply(owned.domain());
            } finally {
                owned.domain().free();
            }
        });
    }

    /** Runs a call about one instance; libvirt's errors name the instance and the action. */
    <T> T call(String instanceId, String action, LibvirtConnection.Call<T> call) {
        try {
            return connection.call(call);
        } catch (LibvirtException e) {
            throw LibvirtErrors.toSkiff("instance " + instanceId, action, e);
        }
    }

    /** Runs a call about the host; libvirt's errors name the connection's URI and the action. */
    <T> T host(String action, LibvirtConnection.Call<T> call) {
        try {
            return connection.call(call);
        } catch (LibvirtException e) {
            throw LibvirtErrors.toSkiff("libvirt at " + connection.uri(), action, e);
        }
    }

    /**
     * @return the instance's domain (the caller frees it), or {@code null} when there is none
     * @throws SkiffException {@code CONFLICT} when a domain has the instance's name but not Skiff's tag
     */
    Owned lookupOwned(Connect c, String instanceId) throws LibvirtException {
        String name = DomainXml.domainName(instanceId);
        Domain d = lookup(c, name);
        if (d == null) {
            return null;
        }
        DomainDescription description;
        try {
            description = describe(d);
        } catch (LibvirtException | RuntimeException e) {
            d.free();
            throw e;
        }
        if (!description.ownedBy(instanceId)) {
            d.free();
            throw SkiffException.conflict(null, "instance " + instanceId + ": domain " + name
                    + " exists but is not Skiff's (no Skiff metadata); Skiff leaves it alone");
        }
        return new Owned(d, description);
    }

    /** @return the domain of that name (the caller frees it), or {@code null} when there is none */
    static Domain lookup(Connect c, String name) throws LibvirtException {
        try {
            return c.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return null;
            }
            throw e;
        }
    }

    /** @return what the domain's current XML says, parsed once per name, UUID and runtime id */
    DomainDescription describe(Domain d) throws LibvirtException {
        String key = d.getName() + "/" + d.getUUIDString() + "/" + d.getID();
        DomainDescription known = descriptions.get(key);
        if (known != null) {
            return known;
        }
        DomainDescription parsed = DomainDescription.parse(d.getXMLDesc(0));
        if (descriptions.size() > MAX_CACHED) {
            descriptions.clear();
        }
        descriptions.put(key, parsed);
        return parsed;
    }

    /** Drops the cached descriptions of an instance's domain, after its devices changed or before it goes. */
    void forget(String instanceId) {
        String prefix = DomainXml.domainName(instanceId) + "/";
        descriptions.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** @return how many descriptions are cached (tests) */
    int cached() {
        return descriptions.size();
    }

    /** Skiff's state of a domain: a blocked or shutting-down domain still runs. */
    static DomainState stateOf(Domain d) throws LibvirtException {
        org.libvirt.DomainInfo.DomainState state;
        try {
            state = d.getInfo().state;
        } catch (RuntimeException e) {
            // libvirt-java 0.5.2 knows no state after CRASHED (e.g. PMSUSPENDED) and fails to map it
            return DomainState.UNKNOWN;
        }
        if (state == null) {
            return DomainState.UNKNOWN;
        }
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            default -> DomainState.UNKNOWN;
        };
    }
}
