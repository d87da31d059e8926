package io.skiff.api.service;

import io.skiff.api.model.OperationRecord;

import java.util.List;

/** The durable log of who did what: every state-changing call, refused attempts and failed sign-ins. */
public interface OperationLog {

    /** Appends an entry (durably, before returning). */
    void record(OperationRecord entry);

    /** @return matching entries, newest first */
    List<OperationRecord> query(OperationQuery query);
}
