package io.skiff.shell.internal;

import io.skiff.api.model.ProviderInfo;
import io.skiff.api.service.ProviderService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes an extension safely: refused, with the dependants named, while anything depends on one of the
 * providers its bundle registers; otherwise the Karaf features that install that bundle are uninstalled.
 * (A plain {@code feature:uninstall} cannot be vetoed: it makes the provider absent, and requests needing it
 * then fail with "provider X is not available" while running guests keep running.)
 */
@Service
@Command(scope = "skiff", name = "provider-remove",
        description = "Uninstalls the feature of a provider, refused while instances or settings depend on it")
@RequiresPermission("provider.write")
public class ProviderRemoveCommand extends SkiffAction {

    @Reference
    private ProviderService providers;

    @Reference
    private FeaturesService features;

    @Reference
    private BundleContext context;

    @Argument(index = 0, name = "provider", description = "skiff.provider of the provider (see skiff:provider-list)",
            required = true)
    private String name;

    @Option(name = "--spi", description = "the SPI, when several SPIs have a provider of that name")
    private String spi;

    @Override
    protected Object run() throws Exception {
        providers.checkRemovable(spi, name);
        Set<Long> bundleIds = new LinkedHashSet<>();
        for (ProviderInfo p : providers.providers()) {
            if (p.name().equals(name) && (spi == null || p.spi().equals(spi))) {
                bundleIds.add(p.bundleId());
            }
        }
        // every provider of the same bundles must be free too: the bundle goes away as a whole
        for (ProviderInfo p : providers.providers()) {
            if (bundleIds.contains(p.bundleId())) {
                providers.checkRemovable(p.spi(), p.name());
            }
        }
        List<Feature> owning = new ArrayList<>();
        for (long id : bundleIds) {
            Bundle bundle = context.getBundle(id);
            if (bundle == null) {
                continue;
            }
            for (Feature f : features.listInstalledFeatures()) {
                for (BundleInfo b : f.getBundles()) {
                    if (b.getLocation().equals(bundle.getLocation()) && !owning.contains(f)) {
                        owning.add(f);
                    }
                }
            }
        }
        if (owning.isEmpty()) {
            throw SkiffException.conflict("provider", "no installed feature holds the bundle of provider " + name
                    + "; stop or uninstall its bundle with bundle:stop / bundle:uninstall");
        }
        for (Feature f : owning) {
            if (f.getName().startsWith("skiff-") && !f.getName().startsWith("skiff-example")) {
                throw SkiffException.conflict("provider", "provider " + name + " comes with Skiff's own feature "
                        + f.getName() + "; it is not removed this way");
            }
        }
        for (Feature f : owning) {
            features.uninstallFeature(f.getName(), f.getVersion(), EnumSet.noneOf(FeaturesService.Option.class));
            System.out.println("Uninstalled feature " + f.getName() + "/" + f.getVersion() + " (provider " + name + ")");
        }
        return null;
    }
}
