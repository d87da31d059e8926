package io.skiff.shell.internal;

import io.skiff.api.service.GuestAgentService;
import io.skiff.api.service.SkiffException;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the commands that change a running guest through the QEMU guest agent and print what it did. */
abstract class GuestAgentAction extends InstanceAction {

    /** Provided by the guest-init bundle; without it the command says the guest agent is not available. */
    @Reference(optional = true)
    private GuestAgentService guestAgent;

    protected GuestAgentService guestAgent() {
        if (guestAgent == null) {
            throw SkiffException.unavailable("the QEMU guest agent is not available (bundle skiff-guest-init)");
        }
        return guestAgent;
    }

    /** Changes the guest of the visible instance {@link #name}. @return what the guest agent did, in words */
    protected abstract String change() throws Exception;

    @Override
    protected final Object run() throws Exception {
        visibleInstance();
        System.out.println("Instance " + name + ": " + change());
        return null;
    }
}
