package io.skiff.shell.internal;

import io.skiff.api.service.InstanceService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes instance names. */
@Service
public class InstanceNameCompleter implements Completer {

    @Reference
    private InstanceService instances;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        instances.list().forEach(i -> delegate.getStrings().add(i.spec().name()));
        return delegate.complete(session, commandLine, candidates);
    }
}
