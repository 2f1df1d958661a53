package dev.debugport.debugger.events;

import dev.debugport.nt.NtStatus;
import java.util.Map;

/** The descriptions cdb prints for well-known exception codes ("Access violation", "Break instruction exception"). */
public final class ExceptionNames {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(NtStatus.STATUS_ACCESS_VIOLATION.value(), "Access violation"),
            Map.entry(NtStatus.STATUS_BREAKPOINT.value(), "Break instruction exception"),
            Map.entry(NtStatus.STATUS_SINGLE_STEP.value(), "Single step exception"),
            Map.entry(NtStatus.STATUS_ILLEGAL_INSTRUCTION.value(), "Illegal instruction"),
            Map.entry(NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value(), "Privileged instruction"),
            Map.entry(NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO.value(), "Integer divide-by-zero"),
            Map.entry(NtStatus.STATUS_INTEGER_OVERFLOW.value(), "Integer overflow"),
            Map.entry(NtStatus.STATUS_FLOAT_DIVIDE_BY_ZERO.value(), "Floating-point divide-by-zero"),
            Map.entry(NtStatus.STATUS_FLOAT_INVALID_OPERATION.value(), "Floating-point invalid operation"),
            Map.entry(NtStatus.STATUS_FLOAT_OVERFLOW.value(), "Floating-point overflow"),
            Map.entry(NtStatus.STATUS_FLOAT_UNDERFLOW.value(), "Floating-point underflow"),
            Map.entry(NtStatus.STATUS_FLOAT_INEXACT_RESULT.value(), "Floating-point inexact result"),
            Map.entry(NtStatus.STATUS_STACK_OVERFLOW.value(), "Stack overflow"),
            Map.entry(NtStatus.STATUS_IN_PAGE_ERROR.value(), "In-page I/O error"),
            Map.entry(NtStatus.STATUS_DATATYPE_MISALIGNMENT.value(), "Data misaligned"),
            Map.entry(NtStatus.STATUS_INVALID_HANDLE.value(), "Invalid handle"),
            Map.entry(NtStatus.STATUS_STACK_BUFFER_OVERRUN.value(), "Security check failure or stack buffer overrun"),
            Map.entry(NtStatus.STATUS_WX86_BREAKPOINT.value(), "WOW64 breakpoint"),
            Map.entry(NtStatus.DBG_CONTROL_C.value(), "Control-C exception"));

    private ExceptionNames() {
    }

    public static String describe(int code) {
        String name = NAMES.get(code);
        return name != null ? name : "Unknown exception";
    }
}
