/**
 * Skiff public API: spi. Semantically versioned; vendors compile against it.
 *
 * <p>1.5: {@link io.skiff.api.spi.DomainSpec#leaseFile()}, a storage lease the domain holds while it runs;
 * {@link io.skiff.api.spi.Hypervisor#watchLifecycle} (a default method) and
 * {@link io.skiff.api.spi.DomainLifecycleEvent}, a domain's lifecycle changes as they happen.
 *
 * <p>1.4: {@link io.skiff.api.spi.MigrationPlan#tls()}, a migration over the hypervisor's migration TLS; and
 * {@link io.skiff.api.spi.StorageBackend#holdsImage} (a default method).
 */
@org.osgi.annotation.versioning.Version("1.5.0")
package io.skiff.api.spi;
