package io.skiff.api.model;

import java.util.function.Predicate;

/**
 * Which instances a list asks for; a {@code null} (or empty) part asks nothing. Used alike by
 * {@code GET /instances?state=&pool=&cell=&owner=&namePrefix=} and {@code skiff:instance-list}.
 *
 * @param state      the instance's state
 * @param pool       its compute pool
 * @param cell       the cell it is placed on
 * @param owner      its owner
 * @param namePrefix how its name begins
 * @since 2.4
 */
public record InstanceFilter(InstanceState state, String pool, String cell, String owner, String namePrefix)
        implements Predicate<InstanceStatus> {

    /** Every instance. */
    public static final InstanceFilter ALL = new InstanceFilter(null, null, null, null, null);

    @Override
    public boolean test(InstanceStatus instance) {
        return (state == null || instance.state() == state)
                && matches(instance.spec().poolId(), instance.cellId(), instance.owner(), instance.spec().name());
    }

    /**
     * @return whether an instance with these parts matches everything but the state (which a service may have to
     *     work out, so that it can leave that for the instances that match the rest; since 2.5)
     */
    public boolean matches(String instancePool, String instanceCell, String instanceOwner, String instanceName) {
        return matches(pool, instancePool)
                && matches(cell, instanceCell)
                && matches(owner, instanceOwner)
                && (namePrefix == null || instanceName.startsWith(namePrefix));
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }
}
