package dev.debugport.kd.target;

import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;

/**
 * The debug services of a breakpoint exception: ExceptionInformation[0] of a STATUS_BREAKPOINT says what the int3 or
 * int 2dh asks of the kernel debugger (DbgBreakPoint, DbgPrint, DbgPrompt, DbgLoadImageSymbols, ...), as KdpTrap and
 * KdpStub read it.
 */
final class KdDebugService {
    static final int BREAKPOINT_BREAK = 0;
    static final int BREAKPOINT_PRINT = 1;
    static final int BREAKPOINT_PROMPT = 2;
    static final int BREAKPOINT_LOAD_SYMBOLS = 3;
    static final int BREAKPOINT_UNLOAD_SYMBOLS = 4;
    static final int BREAKPOINT_COMMAND_STRING = 5;

    private KdDebugService() {
    }

    /** @return true if {@code record} asks for a debug service rather than a plain break */
    static boolean isDebugService(ExceptionRecord record) {
        return record.code() == NtStatus.STATUS_BREAKPOINT.value() && record.numberParameters() > 0
                && record.info(0) != BREAKPOINT_BREAK;
    }
}
