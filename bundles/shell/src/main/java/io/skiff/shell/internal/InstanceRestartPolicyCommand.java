package io.skiff.shell.internal;

import io.skiff.api.model.InstanceStatus;
import io.skiff.api.service.RequiresPermission;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code skiff:instance-restart-policy}. */
@Service
@Command(scope = "skiff", name = "instance-restart-policy",
        description = "Choose what the instance's cell does when its guest stops without being asked to: never,"
                + " on-failure (QEMU crashed or was killed, the guest panicked) or always (also when the guest shut"
                + " itself down); running or stopped")
@RequiresPermission("instance.write")
public class InstanceRestartPolicyCommand extends InstanceAction {

    @Argument(index = 1, name = "policy", description = "never, on-failure or always", required = true)
    @Completion(value = StringsCompleter.class, values = {"never", "on-failure", "always"})
    private String policy;

    @Override
    protected Object run() {
        InstanceStatus target = visibleInstance();
        InstanceStatus changed = instances.modify(target.id(), null, null, null, policy, caller());
        System.out.println("Instance " + changed.spec().name() + ": restart policy "
                + changed.spec().restartPolicyOrNever());
        return null;
    }
}
