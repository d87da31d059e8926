package io.skiff.shell.internal;

import io.skiff.api.service.AuthenticatedUser;
import io.skiff.api.service.IdentityService;
import io.skiff.api.service.InstanceService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes the names of the instances the caller may see. */
@Service
public class InstanceNameCompleter implements Completer {

    @Reference
    private InstanceService instances;

    @Reference(optional = true)
    private IdentityService identity;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        AuthenticatedUser caller = ShellCaller.resolve(identity);
        if (caller == null) {
            return -1;
        }
        instances.list(caller).forEach(i -> delegate.getStrings().add(i.spec().name()));
        return delegate.complete(session, commandLine, candidates);
    }
}
