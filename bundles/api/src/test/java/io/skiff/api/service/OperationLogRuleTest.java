package io.skiff.api.service;

import io.skiff.api.model.OperationRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operation log's rule, as REST (status and error code) and the shell (the exception) ask it. */
class OperationLogRuleTest {

    @Test
    void outcomeOfAnHttpAnswer() {
        assertEquals(OperationRecord.SUCCESS, OperationLogRule.outcome(200, null));
        assertEquals(OperationRecord.SUCCESS, OperationLogRule.outcome(202, null));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(401, "unauthenticated"));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(403, "forbidden"));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(409, OperationLogRule.QUOTA_EXCEEDED));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(409, "conflict"));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(400, "invalid"));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(404, "not-found"), "not visible is not found");
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(500, null));
    }

    @Test
    void outcomeOfAnError() {
        assertEquals(OperationRecord.SUCCESS, OperationLogRule.outcome((Throwable) null));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(
                new SkiffException(SkiffException.Kind.FORBIDDEN, "forbidden", "no", null)));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(
                new SkiffException(SkiffException.Kind.UNAUTHENTICATED, "unauthenticated", "who?", null)));
        assertEquals(OperationRecord.DENIED, OperationLogRule.outcome(new SkiffException(SkiffException.Kind.CONFLICT,
                OperationLogRule.QUOTA_EXCEEDED, "quota cores exceeded", "cores")));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(SkiffException.invalid("cores", "bad")));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(SkiffException.notFound("instance", "x")));
        assertEquals(OperationRecord.FAILED, OperationLogRule.outcome(new IllegalStateException("bug")));
    }

    @Test
    void stateChangingCallsAndRefusalsAreLogged() {
        assertTrue(OperationLogRule.logged(true, OperationRecord.SUCCESS));
        assertTrue(OperationLogRule.logged(true, OperationRecord.FAILED));
        assertTrue(OperationLogRule.logged(false, OperationRecord.DENIED), "a refused read is logged");
        assertFalse(OperationLogRule.logged(false, OperationRecord.SUCCESS));
        assertFalse(OperationLogRule.logged(false, OperationRecord.FAILED));
    }

    @Test
    void onlyReadPermissionsLeaveStateAlone() {
        assertFalse(Permissions.changesState("instance.read"));
        assertFalse(Permissions.changesState("oplog.read"));
        assertTrue(Permissions.changesState("instance.write"));
        assertTrue(Permissions.changesState("instance.operate"));
        assertTrue(Permissions.changesState(Permissions.ACCOUNT_SELF));
    }
}
