package dev.debugport.sim.memory;

/**
 * The kind of a faulting access, with the value an access violation carries in ExceptionInformation[0]
 * (0 read, 1 write, 8 execute: a DEP fault).
 */
public enum AccessKind {
    READ(0),
    WRITE(1),
    EXECUTE(8);

    private final int code;

    AccessKind(int code) {
        this.code = code;
    }

    /** The ExceptionInformation[0] value of STATUS_ACCESS_VIOLATION for this access. */
    public int code() {
        return code;
    }
}
