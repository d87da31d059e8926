package io.skiff.core.internal.instance;

import io.skiff.api.service.SkiffException;

import java.util.Map;

/**
 * TEST ONLY: makes one kind of step fail on purpose, so that tests can watch a rollback on the real distribution
 * (e.g. {@code InstanceLifecycleIT}, {@code GuestOpsIT}) and in unit tests. It is read from two properties of the
 * instance settings that the metatype does not advertise and the shipped configuration does not set:
 * {@value #FAIL_STEP} (the step kind to fail, e.g. {@code cell.define}) and {@value #FAIL_INSTANCE} (only for the
 * instance of that name; empty: every instance). Without them nothing is ever injected.
 */
final class FaultInjection {
    static final String FAIL_STEP = "failStep";
    static final String FAIL_INSTANCE = "failInstance";
    /** Injects nothing. */
    static final FaultInjection NONE = new FaultInjection(null, null);

    private final String step;
    private final String instance;

    FaultInjection(String step, String instance) {
        this.step = step == null || step.isEmpty() ? null : step;
        this.instance = instance == null || instance.isEmpty() ? null : instance;
    }

    /** @param properties the instance settings as Config Admin holds them */
    static FaultInjection from(Map<String, ?> properties) {
        if (properties == null) {
            return NONE;
        }
        Object step = properties.get(FAIL_STEP);
        Object instance = properties.get(FAIL_INSTANCE);
        return new FaultInjection(step == null ? null : step.toString(), instance == null ? null : instance.toString());
    }

    /** Fails when told to fail steps of this kind (of any instance). */
    void check(String kind) {
        check(kind, null);
    }

    /** Fails when told to fail steps of this kind, of every instance or of this one. */
    void check(String kind, String instanceName) {
        if (kind.equals(step) && (instance == null || instance.equals(instanceName))) {
            throw new SkiffException(SkiffException.Kind.INTERNAL, "injected",
                    "failure injected in step " + kind + " (test setting failStep)", null);
        }
    }
}
