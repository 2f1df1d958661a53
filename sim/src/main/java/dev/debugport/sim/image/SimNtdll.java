package dev.debugport.sim.image;

import dev.debugport.sim.memory.SimMemory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The exports of the simulated ntdll that the debugging architecture needs an address for, and the bytes at those
 * addresses. The bytes are real x86 instructions the sim's interpreter runs: DbgBreakPoint is {@code int3; ret}, so
 * a debugger that reads the breakpoint address back sees 0xCC; LdrpDoDebuggerBreak is {@code nop; nop; int3; ret},
 * so the loader's initial breakpoint is inside ntdll but not at DbgBreakPoint (as on Vista and later).
 */
public final class SimNtdll {
    public static final String DBG_BREAK_POINT = "DbgBreakPoint";
    public static final String DBG_UI_REMOTE_BREAKIN = "DbgUiRemoteBreakin";
    public static final String LDRP_DO_DEBUGGER_BREAK = "LdrpDoDebuggerBreak";
    public static final String KI_USER_EXCEPTION_DISPATCHER = "KiUserExceptionDispatcher";
    public static final String RTL_USER_THREAD_START = "RtlUserThreadStart";

    /** Offset of the int3 inside LdrpDoDebuggerBreak: the initial breakpoint's ExceptionAddress. */
    public static final long INITIAL_BREAKPOINT_OFFSET = 2;

    private record Routine(long rva, byte[] code) {
    }

    private static final Map<String, Routine> ROUTINES = new LinkedHashMap<>();

    static {
        ROUTINES.put(DBG_BREAK_POINT, new Routine(0x1000, bytes(0xCC, 0xC3)));
        ROUTINES.put(DBG_UI_REMOTE_BREAKIN, new Routine(0x1010, bytes(0x90, 0xC3)));
        ROUTINES.put(LDRP_DO_DEBUGGER_BREAK, new Routine(0x1020, bytes(0x90, 0x90, 0xCC, 0xC3)));
        ROUTINES.put(KI_USER_EXCEPTION_DISPATCHER, new Routine(0x1030, bytes(0xC3)));
        ROUTINES.put(RTL_USER_THREAD_START, new Routine(0x1040, bytes(0xC3)));
    }

    private SimNtdll() {
    }

    /** The export's offset from the ntdll base, if the sim ntdll has it. */
    public static OptionalLong rva(String export) {
        Routine r = ROUTINES.get(export);
        return r == null ? OptionalLong.empty() : OptionalLong.of(r.rva());
    }

    /** The export's address in an ntdll mapped at {@code ntdllBase}, or 0 for an unknown name. */
    public static long address(long ntdllBase, String export) {
        Routine r = ROUTINES.get(export);
        return r == null ? 0 : ntdllBase + r.rva();
    }

    /** Every routine's offset from the ntdll base, by name, in address order (the export directory lists them). */
    public static Map<String, Long> rvas() {
        Map<String, Long> rvas = new LinkedHashMap<>();
        ROUTINES.forEach((name, routine) -> rvas.put(name, routine.rva()));
        return rvas;
    }

    /** The export whose routine starts exactly at {@code address}, or null. */
    public static String exportAt(long ntdllBase, long address) {
        for (Map.Entry<String, Routine> e : ROUTINES.entrySet()) {
            if (ntdllBase + e.getValue().rva() == address) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Writes the routines' code into an ntdll view (kernel-mode write: ignores the page protection). */
    public static void install(SimMemory memory, long ntdllBase) {
        for (Routine r : ROUTINES.values()) {
            memory.write(ntdllBase + r.rva(), r.code(), 0, r.code().length);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
