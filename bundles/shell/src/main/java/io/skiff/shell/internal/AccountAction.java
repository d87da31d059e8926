package io.skiff.shell.internal;

import org.apache.karaf.shell.api.action.Argument;

/** Base of the commands on one account: the caller's own, or the one named in the first argument. */
abstract class AccountAction extends SkiffAction {

    @Argument(index = 0, name = "name", description = "User (default: yourself)")
    private String name;

    /** @return the user the command is for: the one named, else the caller */
    protected String user() {
        return name == null ? caller().name() : name;
    }
}
