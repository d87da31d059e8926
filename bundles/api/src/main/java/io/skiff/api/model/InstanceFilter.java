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
                && matches(pool, instance.spec().poolId())
                && matches(cell, instance.cellId())
                && matches(owner, instance.owner())
                && (namePrefix == null || instance.spec().name().startsWith(namePrefix));
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }
}
