package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.RequiresPermission;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code skiff:instance-label}. */
@Service
@Command(scope = "skiff", name = "instance-label",
        description = "Set (key=value) or remove (key-) labels of an instance, running or stopped; with no change,"
                + " print its labels (skiff:instance-info shows them too)")
@RequiresPermission("instance.write")
public class InstanceLabelCommand extends InstanceAction {

    @Argument(index = 1, name = "changes", description = "key=value sets a label, key- removes one",
            multiValued = true)
    private List<String> changes;

    @Override
    protected Object run() {
        InstanceStatus target = visibleInstance();
        if (changes == null || changes.isEmpty()) {
            System.out.println(labelText(target.spec().labels()));
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>(target.spec().labels());
        for (String change : changes) {
            if (change.endsWith("-") && !change.contains("=")) {
                String key = change.substring(0, change.length() - 1);
                if (labels.remove(key) == null) {
                    throw SkiffException.invalid("labels", "instance '" + target.spec().name() + "' has no label '"
                            + key + "'");
                }
            } else {
                labels.putAll(labelPairs("labels", List.of(change)));
            }
        }
        InstanceStatus changed = instances.setLabels(target.id(), labels, caller());
        System.out.println("Instance " + changed.spec().name() + ": labels " + labelText(changed.spec().labels()));
        return null;
    }
}
