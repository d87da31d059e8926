package io.skiff.core.internal.task;

/** The engine can no longer journal a task, or is stopping; the task is left for the restart rollback. */
final class TaskAbandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TaskAbandoned(String message, Throwable cause) {
        super(message, cause);
    }

    /** Abandons the task when its journal failed or the engine is stopping, whatever a step threw meanwhile. */
    static void ifJournalOrEngineDown(TaskRun run, Throwable stepFailure, boolean closing) {
        if (run.journalFailure != null) {
            throw new TaskAbandoned("task journal unavailable: " + run.journalFailure.getMessage(),
                    run.journalFailure);
        }
        if (closing) {
            throw new TaskAbandoned("engine stopping: " + describe(stepFailure), stepFailure);
        }
    }

    /** A step's failure in words: its type and message. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Lets what no engine can handle (out of memory, stack overflow) through. */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }
}
