package dev.debugport.sim.memory;

/**
 * The Win32 page protection values (PAGE_*) the simulated address space understands, and what each allows a guest
 * to do. Guard pages, write-copy and caching modifiers are not modelled.
 */
public final class PageProtection {
    public static final int PAGE_NOACCESS = 0x01;
    public static final int PAGE_READONLY = 0x02;
    public static final int PAGE_READWRITE = 0x04;
    public static final int PAGE_EXECUTE = 0x10;
    public static final int PAGE_EXECUTE_READ = 0x20;
    public static final int PAGE_EXECUTE_READWRITE = 0x40;

    private PageProtection() {
    }

    /** Whether {@code protection} is exactly one of the values above (MiMakeProtectionMask rejects the rest). */
    public static boolean isValid(int protection) {
        return switch (protection) {
            case PAGE_NOACCESS, PAGE_READONLY, PAGE_READWRITE, PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_EXECUTE_READWRITE -> true;
            default -> false;
        };
    }

    /** Whether a guest may read the page. PAGE_EXECUTE pages are execute-only, as on Windows with DEP. */
    public static boolean canRead(int protection) {
        return protection == PAGE_READONLY || protection == PAGE_READWRITE
                || protection == PAGE_EXECUTE_READ || protection == PAGE_EXECUTE_READWRITE;
    }

    public static boolean canWrite(int protection) {
        return protection == PAGE_READWRITE || protection == PAGE_EXECUTE_READWRITE;
    }

    public static boolean canExecute(int protection) {
        return protection == PAGE_EXECUTE || protection == PAGE_EXECUTE_READ || protection == PAGE_EXECUTE_READWRITE;
    }

    /** Whether a guest access of the given kind is allowed on a page with {@code protection}. */
    public static boolean allows(int protection, AccessKind kind) {
        return switch (kind) {
            case READ -> canRead(protection);
            case WRITE -> canWrite(protection);
            case EXECUTE -> canExecute(protection);
        };
    }
}
