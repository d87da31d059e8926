package io.skiff.shell.internal;

import io.skiff.api.model.StoragePool;
import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.StoragePoolService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes the names of the storage pools the Core defines. */
@Service
public class StoragePoolNameCompleter implements Completer {

    @Reference
    private StoragePoolService pools;

    @Reference(optional = true)
    private IdentityService identity;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        AuthenticatedUser caller = ShellCaller.resolve(identity);
        if (caller == null) {
            return -1;
        }
        return new StringsCompleter(pools.list(caller).stream().map(StoragePool::name).toList())
                .complete(session, commandLine, candidates);
    }
}
