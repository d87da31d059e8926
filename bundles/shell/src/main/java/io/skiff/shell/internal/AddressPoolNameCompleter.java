package io.skiff.shell.internal;

import io.skiff.api.model.AddressPool;
import io.skiff.api.service.AddressPoolService;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes address pool names. */
@Service
public class AddressPoolNameCompleter implements Completer {

    @Reference
    private AddressPoolService pools;

    @Reference(optional = true)
    private IdentityService identity;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        AuthenticatedUser caller = ShellCaller.resolve(identity);
        if (caller == null) {
            return -1;
        }
        pools.list(caller).stream().map(AddressPool::name).forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
