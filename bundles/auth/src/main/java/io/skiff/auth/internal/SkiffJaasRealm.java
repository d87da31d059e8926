package io.skiff.auth.internal;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.HashMap;
import java.util.Map;

/**
 * Replaces Karaf's own {@code karaf} realm (rank 0) by one backed by Skiff's users, so SSH, {@code bin/client}
 * and the REST API share the accounts. The login module runs through Karaf's proxy, loaded from this bundle.
 */
final class SkiffJaasRealm implements JaasRealm {
    static final int RANK = 100;
    private final String name;
    private final BundleContext context;
    private final SignInChecker checker;

    SkiffJaasRealm(String name, BundleContext context, SignInChecker checker) {
        this.name = name;
        this.context = context;
        this.checker = checker;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        Map<String, Object> options = new HashMap<>();
        options.put(ProxyLoginModule.PROPERTY_MODULE, SkiffLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(context.getBundle().getBundleId()));
        options.put(BundleContext.class.getName(), context);
        options.put(SkiffLoginModule.CHECKER_OPTION, checker);
        return new AppConfigurationEntry[]{new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
    }
}
