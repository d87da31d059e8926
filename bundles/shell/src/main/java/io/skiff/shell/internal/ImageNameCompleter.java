package io.skiff.shell.internal;

import io.skiff.api.service.ImageService;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import java.util.List;

/** Completes image names. */
@Service
public class ImageNameCompleter implements Completer {

    @Reference
    private ImageService images;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        images.list().forEach(i -> delegate.getStrings().add(i.name()));
        return delegate.complete(session, commandLine, candidates);
    }
}
