package io.skiff.rest.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What REST tells the operation log's rule about a request: whether its method may change state. */
class OperationLogFilterTest {

    @Test
    void onlyHttpsSafeMethodsLeaveStateAlone() {
        for (String read : new String[] {"GET", "HEAD", "OPTIONS"}) {
            assertFalse(OperationLogFilter.changesState(read), read);
        }
        for (String write : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            assertTrue(OperationLogFilter.changesState(write), write);
        }
    }
}
