package io.skiff.shell.internal;

import io.skiff.api.service.MetricsService;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code skiff:metrics}: what {@code GET /api/v1/metrics} serves, in the shell. */
@Service
@Command(scope = "skiff", name = "metrics",
        description = "Print the Core's metrics in the Prometheus text format, as GET /api/v1/metrics serves them;"
                + " --match keeps the lines that contain a text (a metric's name, a label value)")
@RequiresPermission("metrics.read")
public class MetricsCommand extends SkiffAction {

    @Reference(optional = true)
    private MetricsService metrics;

    @Option(name = "-m", aliases = "--match", description = "Only lines containing this text, e.g. skiff_instances")
    private String match;

    @Override
    protected Object run() throws IOException {
        MetricsService service = metrics;
        if (service == null) {
            throw SkiffException.unavailable("the metrics are served by the REST bundle, which does not run here");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.scrape(out);
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (match == null || line.contains(match)) {
                System.out.println(line);
            }
        }
        return null;
    }
}
