package io.skiff.api.model;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Which instances a list asks for; a {@code null} (or empty) part asks nothing. Used alike by
 * {@code GET /instances?state=&pool=&cell=&owner=&namePrefix=&label=} and {@code skiff:instance-list}.
 *
 * @param state      the instance's state
 * @param pool       its compute pool
 * @param cell       the cell it is placed on
 * @param owner      its owner
 * @param namePrefix how its name begins
 * @param labels       the labels it has: a key to the value the label must have, or to {@code ""} when any value
 *                     will do ({@link Labels#selectors}); never {@code null}, empty for none (since 2.6)
 * @since 2.4
 */
public record InstanceFilter(InstanceState state, String pool, String cell, String owner, String namePrefix,
                             Map<String, String> labels)
        implements Predicate<InstanceStatus> {

    /** Every instance. */
    public static final InstanceFilter ALL = new InstanceFilter(null, null, null, null, null);

    /** Label selectors are kept sorted by key; {@code null} is none. */
    public InstanceFilter {
        labels = Labels.sorted(labels);
    }

    /** No label selectors (the canonical constructor of version 2.4 and 2.5 of this package). */
    public InstanceFilter(InstanceState state, String pool, String cell, String owner, String namePrefix) {
        this(state, pool, cell, owner, namePrefix, null);
    }

    @Override
    public boolean test(InstanceStatus instance) {
        return (state == null || instance.state() == state)
                && matches(instance.spec().poolId(), instance.cellId(), instance.owner(), instance.spec().name())
                && Labels.satisfy(instance.spec().labels(), labels);
    }

    /**
     * @return whether an instance with these parts matches everything but the state (which a service may have to
     *     work out, so that it can leave that for the instances that match the rest; since 2.5) and the labels
     *     ({@link Labels#satisfy}, since 2.6)
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
