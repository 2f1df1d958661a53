package dev.debugport.sim;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ExceptionRecord;

/**
 * EXCEPTION_POINTERS as a guest handler sees it: the record and the context the exception was raised with. A
 * handler that returns CONTINUE_EXECUTION may first change the context (for example move Rip past an int3);
 * execution resumes from it.
 */
public final class ExceptionPointers {
    private final ExceptionRecord record;
    private Amd64Context context;

    public ExceptionPointers(ExceptionRecord record, Amd64Context context) {
        this.record = record;
        this.context = context;
    }

    public ExceptionRecord record() {
        return record;
    }

    public Amd64Context context() {
        return context;
    }

    public void setContext(Amd64Context context) {
        this.context = context;
    }
}
