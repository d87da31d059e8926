package io.skiff.core.internal.instance;

import io.skiff.api.cell.CellAddress;
import io.skiff.api.cell.CellDisk;
import io.skiff.api.cell.CellInstanceSpec;
import io.skiff.api.cell.ImageSource;
import io.skiff.api.cell.StoragePoolDefinition;
import io.skiff.api.model.AddressPool;
import io.skiff.api.model.DiskImage;
import io.skiff.api.model.DiskSpec;
import io.skiff.api.model.InstanceSpec;
import io.skiff.api.model.MediaImage;
import io.skiff.api.spi.AddressPoolProvider;
import io.skiff.api.spi.GuestProfile;
import io.skiff.api.transport.ClusterMember;
import io.skiff.api.transport.ClusterTransport;
import io.skiff.core.internal.StoragePoolRecords;
import io.skiff.core.internal.image.ImageCatalog;
import io.skiff.core.internal.image.MediaCatalog;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a cell is told about an instance ({@link CellInstanceSpec}): its volumes (named after the instance, with where
 * to fetch an image from and a one-time token), its lease (address, gateway, DNS, host name), its guest seed (data
 * disks named as the profile's bus names them), its QoS and its media drive. A disk in a storage pool the Core
 * defines carries the pool's definition, so that a cell that does not know the pool yet can take it. An instance of a
 * failover pool carries how long its cell may go without the Core before it destroys the domain (self-fencing). Also
 * where cells reach this Core's HTTP API ({@link #coreUrl}).
 */
final class CellSpecs {
    private static final Logger LOG = LoggerFactory.getLogger(CellSpecs.class);

    private final ImageCatalog images;
    private final InstanceProviders providers;
    private final ClusterTransport transport;
    private final ConfigurationAdmin configAdmin;
    private final StoragePoolRecords storagePools;
    private final FailoverPolicy failover;

    /**
     * @param configAdmin where Karaf's HTTP port is read, or {@code null} for 8181
     * @param failover tells which instances their cell fences (those of failover pools) and after how long
     */
    CellSpecs(ImageCatalog images, InstanceProviders providers, ClusterTransport transport,
              ConfigurationAdmin configAdmin, StoragePoolRecords storagePools, FailoverPolicy failover) {
        this.storagePools = storagePools;
        this.failover = failover;
        this.images = images;
        this.providers = providers;
        this.transport = transport;
        this.configAdmin = configAdmin;
    }

    CellInstanceSpec of(String id, InstanceSpec spec) {
        List<CellDisk> disks = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            ImageSource source = null;
            if (d.imageId() != null) {
                DiskImage image = images.get(d.imageId());
                source = new ImageSource(image.id(), coreUrl() + "/api/v1/images/" + image.id() + "/content",
                        images.transferToken(image.id()), image.sha256(), image.format());
            }
            disks.add(new CellDisk(InstanceRecord.volumeName(id, i), d.storagePool(), d.sizeBytes(), source,
                    source != null && !d.linkedClone()).inPool(poolDefinition(d.storagePool())));
        }
        GuestProfile profile = providers.profile(spec.profile());
        String diskBus = profile == null ? "virtio" : profile.devices().diskBus();
        return new CellInstanceSpec(id, spec.name(), spec.cores(), spec.memoryBytes(), spec.profile(), disks,
                spec.autoStart(), cellAddress(id, spec), GuestInits.toSpec(spec.guestInit(), diskBus), spec.qos(),
                mediaSource(spec.media()), spec.bootFrom(), spec.restartPolicyOrNever(),
                failover.fenceAfterSeconds(spec.poolId()));
    }

    /** @return the definition of a storage pool the Core defines, or {@code null} for any other pool name */
    StoragePoolDefinition poolDefinition(String pool) {
        return storagePools.definition(pool);
    }

    StoragePoolRecords storagePools() {
        return storagePools;
    }

    /** Where the cell fetches a medium (a fresh one-time token), or {@code null} for an empty drive. */
    ImageSource mediaSource(String mediaId) {
        if (mediaId == null) {
            return null;
        }
        MediaCatalog catalog = providers.mediaOrNull();
        if (catalog == null) {
            LOG.warn("medium {} stays out of the media drive: the media catalogue is not available", mediaId);
            return null;
        }
        MediaImage medium = catalog.get(mediaId);
        return new ImageSource(medium.id(), coreUrl() + "/api/v1/media/" + medium.id() + "/content",
                catalog.transferToken(medium.id()), medium.sha256(), "iso");
    }

    /** The lease the cell serves: the instance's binding with its pool's gateway, DNS and domain. */
    private CellAddress cellAddress(String id, InstanceSpec spec) {
        AddressPoolProvider provider = providers.addressPoolsOrNull();
        if (provider == null) {
            return null;
        }
        return provider.bindingOf(id).map(b -> {
            AddressPool pool = provider.get(b.poolId());
            return new CellAddress(pool.id(), b.address(), pool.prefixLength(), pool.gateway(), pool.dnsServers(),
                    pool.domain(), hostname(spec.name()));
        }).orElse(null);
    }

    /** Instance names may hold '_' and '.', which are no hostname characters. */
    static String hostname(String name) {
        String h = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (h.length() > 63) {
            h = h.substring(0, 63).replaceAll("-+$", "");
        }
        return h.isEmpty() ? "instance" : h;
    }

    /** Where cells reach this Core's HTTP API: the cluster bind address and Karaf's HTTP port. */
    String coreUrl() {
        String host = transport.members().stream().filter(ClusterMember::local).map(ClusterMember::address)
                .map(a -> a.contains(":") ? a.substring(0, a.lastIndexOf(':')) : a).findFirst().orElse("127.0.0.1");
        String port = "8181";
        try {
            Configuration web = configAdmin == null ? null : configAdmin.getConfiguration("org.ops4j.pax.web", null);
            Object configured = web == null || web.getProperties() == null ? null
                    : web.getProperties().get("org.osgi.service.http.port");
            if (configured != null) {
                port = String.valueOf(configured);
            }
        } catch (Exception e) {
            LOG.debug("no HTTP port in Config Admin: {}", e.toString());
        }
        return "http://" + host + ":" + port;
    }
}
