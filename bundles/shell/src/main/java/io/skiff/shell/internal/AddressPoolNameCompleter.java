package io.skiff.shell.internal;

import io.skiff.api.model.AddressPool;
import io.skiff.api.spi.AddressPoolProvider;
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
    private AddressPoolProvider pools;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        pools.list().stream().map(AddressPool::name).forEach(delegate.getStrings()::add);
        return delegate.complete(session, commandLine, candidates);
    }
}
