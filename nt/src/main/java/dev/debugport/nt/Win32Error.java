package dev.debugport.nt;

import java.util.HashMap;
import java.util.Map;

/**
 * Win32 error codes (the values GetLastError returns) and {@code RtlNtStatusToDosError}, the
 * NTSTATUS-to-Win32 translation kernel32 applies before setting the last error
 * ({@code BaseSetLastNTError}).
 *
 * <p>The translation table covers every {@link NtStatus} constant; the mappings are those of the
 * Windows table (as regenerated from Windows by Wine's {@code make_errors}). kernel32 special-cases
 * some statuses before translating (WaitForDebugEvent turns STATUS_TIMEOUT into ERROR_SEM_TIMEOUT);
 * that is the Win32 layer's business, not this table's.
 */
public final class Win32Error {

    /** Symbolic names by value; filled while the constants below are initialised. */
    private static final Map<Integer, String> NAMES = new HashMap<>();

    private Win32Error() {
    }

    /** ERROR_SUCCESS. */
    public static final int ERROR_SUCCESS = define("ERROR_SUCCESS", 0);
    /** ERROR_INVALID_FUNCTION. */
    public static final int ERROR_INVALID_FUNCTION = define("ERROR_INVALID_FUNCTION", 1);
    /** ERROR_FILE_NOT_FOUND. */
    public static final int ERROR_FILE_NOT_FOUND = define("ERROR_FILE_NOT_FOUND", 2);
    /** ERROR_ACCESS_DENIED. */
    public static final int ERROR_ACCESS_DENIED = define("ERROR_ACCESS_DENIED", 5);
    /** ERROR_INVALID_HANDLE. */
    public static final int ERROR_INVALID_HANDLE = define("ERROR_INVALID_HANDLE", 6);
    /** ERROR_NOT_ENOUGH_MEMORY. */
    public static final int ERROR_NOT_ENOUGH_MEMORY = define("ERROR_NOT_ENOUGH_MEMORY", 8);
    /** ERROR_BAD_LENGTH. */
    public static final int ERROR_BAD_LENGTH = define("ERROR_BAD_LENGTH", 24);
    /** ERROR_GEN_FAILURE. */
    public static final int ERROR_GEN_FAILURE = define("ERROR_GEN_FAILURE", 31);
    /** ERROR_NOT_SUPPORTED. */
    public static final int ERROR_NOT_SUPPORTED = define("ERROR_NOT_SUPPORTED", 50);
    /** ERROR_INVALID_PARAMETER. */
    public static final int ERROR_INVALID_PARAMETER = define("ERROR_INVALID_PARAMETER", 87);
    /** ERROR_SEM_TIMEOUT: what WaitForDebugEvent reports on timeout. */
    public static final int ERROR_SEM_TIMEOUT = define("ERROR_SEM_TIMEOUT", 121);
    /** ERROR_INSUFFICIENT_BUFFER. */
    public static final int ERROR_INSUFFICIENT_BUFFER = define("ERROR_INSUFFICIENT_BUFFER", 122);
    /** ERROR_INVALID_NAME. */
    public static final int ERROR_INVALID_NAME = define("ERROR_INVALID_NAME", 123);
    /** ERROR_MOD_NOT_FOUND. */
    public static final int ERROR_MOD_NOT_FOUND = define("ERROR_MOD_NOT_FOUND", 126);
    /** ERROR_WAIT_NO_CHILDREN (also the translation of STATUS_ABANDONED_WAIT_0). */
    public static final int ERROR_WAIT_NO_CHILDREN = define("ERROR_WAIT_NO_CHILDREN", 128);
    /** ERROR_SIGNAL_REFUSED. */
    public static final int ERROR_SIGNAL_REFUSED = define("ERROR_SIGNAL_REFUSED", 156);
    /** ERROR_ALREADY_EXISTS. */
    public static final int ERROR_ALREADY_EXISTS = define("ERROR_ALREADY_EXISTS", 183);
    /** ERROR_PARTIAL_COPY. */
    public static final int ERROR_PARTIAL_COPY = define("ERROR_PARTIAL_COPY", 299);
    /** ERROR_MR_MID_NOT_FOUND: the translation of an NTSTATUS with no Win32 equivalent. */
    public static final int ERROR_MR_MID_NOT_FOUND = define("ERROR_MR_MID_NOT_FOUND", 317);
    /** ERROR_INVALID_ADDRESS. */
    public static final int ERROR_INVALID_ADDRESS = define("ERROR_INVALID_ADDRESS", 487);
    /** ERROR_ARITHMETIC_OVERFLOW. */
    public static final int ERROR_ARITHMETIC_OVERFLOW = define("ERROR_ARITHMETIC_OVERFLOW", 534);
    /** ERROR_WX86_WARNING. */
    public static final int ERROR_WX86_WARNING = define("ERROR_WX86_WARNING", 539);
    /** ERROR_THREAD_NOT_IN_PROCESS. */
    public static final int ERROR_THREAD_NOT_IN_PROCESS = define("ERROR_THREAD_NOT_IN_PROCESS", 566);
    /** ERROR_CONTROL_C_EXIT. */
    public static final int ERROR_CONTROL_C_EXIT = define("ERROR_CONTROL_C_EXIT", 572);
    /** ERROR_PORT_NOT_SET: no debug port was associated with the process. */
    public static final int ERROR_PORT_NOT_SET = define("ERROR_PORT_NOT_SET", 642);
    /** ERROR_ASSERTION_FAILURE. */
    public static final int ERROR_ASSERTION_FAILURE = define("ERROR_ASSERTION_FAILURE", 668);
    /** ERROR_DBG_EXCEPTION_NOT_HANDLED. */
    public static final int ERROR_DBG_EXCEPTION_NOT_HANDLED = define("ERROR_DBG_EXCEPTION_NOT_HANDLED", 688);
    /** ERROR_DBG_REPLY_LATER. */
    public static final int ERROR_DBG_REPLY_LATER = define("ERROR_DBG_REPLY_LATER", 689);
    /** ERROR_DBG_UNABLE_TO_PROVIDE_HANDLE. */
    public static final int ERROR_DBG_UNABLE_TO_PROVIDE_HANDLE = define("ERROR_DBG_UNABLE_TO_PROVIDE_HANDLE", 690);
    /** ERROR_DBG_TERMINATE_THREAD. */
    public static final int ERROR_DBG_TERMINATE_THREAD = define("ERROR_DBG_TERMINATE_THREAD", 691);
    /** ERROR_DBG_TERMINATE_PROCESS. */
    public static final int ERROR_DBG_TERMINATE_PROCESS = define("ERROR_DBG_TERMINATE_PROCESS", 692);
    /** ERROR_DBG_CONTROL_C. */
    public static final int ERROR_DBG_CONTROL_C = define("ERROR_DBG_CONTROL_C", 693);
    /** ERROR_DBG_PRINTEXCEPTION_C (also the translation of DBG_PRINTEXCEPTION_WIDE_C). */
    public static final int ERROR_DBG_PRINTEXCEPTION_C = define("ERROR_DBG_PRINTEXCEPTION_C", 694);
    /** ERROR_DBG_RIPEXCEPTION. */
    public static final int ERROR_DBG_RIPEXCEPTION = define("ERROR_DBG_RIPEXCEPTION", 695);
    /** ERROR_DBG_CONTROL_BREAK. */
    public static final int ERROR_DBG_CONTROL_BREAK = define("ERROR_DBG_CONTROL_BREAK", 696);
    /** ERROR_DBG_COMMAND_EXCEPTION. */
    public static final int ERROR_DBG_COMMAND_EXCEPTION = define("ERROR_DBG_COMMAND_EXCEPTION", 697);
    /** ERROR_OBJECT_NAME_EXISTS. */
    public static final int ERROR_OBJECT_NAME_EXISTS = define("ERROR_OBJECT_NAME_EXISTS", 698);
    /** ERROR_FATAL_APP_EXIT. */
    public static final int ERROR_FATAL_APP_EXIT = define("ERROR_FATAL_APP_EXIT", 713);
    /** ERROR_USER_APC. */
    public static final int ERROR_USER_APC = define("ERROR_USER_APC", 737);
    /** ERROR_ALERTED. */
    public static final int ERROR_ALERTED = define("ERROR_ALERTED", 739);
    /** ERROR_DBG_EXCEPTION_HANDLED. */
    public static final int ERROR_DBG_EXCEPTION_HANDLED = define("ERROR_DBG_EXCEPTION_HANDLED", 766);
    /** ERROR_DBG_CONTINUE. */
    public static final int ERROR_DBG_CONTINUE = define("ERROR_DBG_CONTINUE", 767);
    /** ERROR_OPERATION_ABORTED. */
    public static final int ERROR_OPERATION_ABORTED = define("ERROR_OPERATION_ABORTED", 995);
    /** ERROR_IO_PENDING. */
    public static final int ERROR_IO_PENDING = define("ERROR_IO_PENDING", 997);
    /** ERROR_NOACCESS: invalid access to a memory location. */
    public static final int ERROR_NOACCESS = define("ERROR_NOACCESS", 998);
    /** ERROR_SWAPERROR. */
    public static final int ERROR_SWAPERROR = define("ERROR_SWAPERROR", 999);
    /** ERROR_STACK_OVERFLOW. */
    public static final int ERROR_STACK_OVERFLOW = define("ERROR_STACK_OVERFLOW", 1001);
    /** ERROR_NOT_FOUND. */
    public static final int ERROR_NOT_FOUND = define("ERROR_NOT_FOUND", 1168);
    /** ERROR_STACK_BUFFER_OVERRUN. */
    public static final int ERROR_STACK_BUFFER_OVERRUN = define("ERROR_STACK_BUFFER_OVERRUN", 1282);
    /** ERROR_DEBUGGER_INACTIVE: the debug object is being deleted. */
    public static final int ERROR_DEBUGGER_INACTIVE = define("ERROR_DEBUGGER_INACTIVE", 1284);
    /** ERROR_PROCESS_IS_PROTECTED. */
    public static final int ERROR_PROCESS_IS_PROTECTED = define("ERROR_PROCESS_IS_PROTECTED", 1293);
    /** ERROR_NO_SYSTEM_RESOURCES. */
    public static final int ERROR_NO_SYSTEM_RESOURCES = define("ERROR_NO_SYSTEM_RESOURCES", 1450);
    /** ERROR_TIMEOUT: the translation of STATUS_TIMEOUT. */
    public static final int ERROR_TIMEOUT = define("ERROR_TIMEOUT", 1460);

    private static final Map<Integer, Integer> FROM_STATUS = new HashMap<>();

    static {
        // success and informational
        map(NtStatus.STATUS_ABANDONED, ERROR_WAIT_NO_CHILDREN);
        map(NtStatus.STATUS_USER_APC, ERROR_USER_APC);
        map(NtStatus.STATUS_ALERTED, ERROR_ALERTED);
        map(NtStatus.STATUS_TIMEOUT, ERROR_TIMEOUT);
        map(NtStatus.STATUS_PENDING, ERROR_IO_PENDING);
        map(NtStatus.DBG_EXCEPTION_HANDLED, ERROR_DBG_EXCEPTION_HANDLED);
        map(NtStatus.DBG_CONTINUE, ERROR_DBG_CONTINUE);
        map(NtStatus.STATUS_OBJECT_NAME_EXISTS, ERROR_OBJECT_NAME_EXISTS);
        map(NtStatus.STATUS_FATAL_APP_EXIT, ERROR_FATAL_APP_EXIT);
        map(NtStatus.STATUS_WX86_BREAKPOINT, ERROR_WX86_WARNING);
        map(NtStatus.DBG_REPLY_LATER, ERROR_DBG_REPLY_LATER);
        map(NtStatus.DBG_UNABLE_TO_PROVIDE_HANDLE, ERROR_DBG_UNABLE_TO_PROVIDE_HANDLE);
        map(NtStatus.DBG_TERMINATE_THREAD, ERROR_DBG_TERMINATE_THREAD);
        map(NtStatus.DBG_TERMINATE_PROCESS, ERROR_DBG_TERMINATE_PROCESS);
        map(NtStatus.DBG_CONTROL_C, ERROR_DBG_CONTROL_C);
        map(NtStatus.DBG_PRINTEXCEPTION_C, ERROR_DBG_PRINTEXCEPTION_C);
        map(NtStatus.DBG_RIPEXCEPTION, ERROR_DBG_RIPEXCEPTION);
        map(NtStatus.DBG_CONTROL_BREAK, ERROR_DBG_CONTROL_BREAK);
        map(NtStatus.DBG_COMMAND_EXCEPTION, ERROR_DBG_COMMAND_EXCEPTION);
        map(NtStatus.DBG_PRINTEXCEPTION_WIDE_C, ERROR_DBG_PRINTEXCEPTION_C);

        // exception codes the table maps to themselves
        identity(
                NtStatus.STATUS_GUARD_PAGE_VIOLATION,
                NtStatus.STATUS_BREAKPOINT,
                NtStatus.STATUS_SINGLE_STEP,
                NtStatus.STATUS_ILLEGAL_INSTRUCTION,
                NtStatus.STATUS_NONCONTINUABLE_EXCEPTION,
                NtStatus.STATUS_INVALID_DISPOSITION,
                NtStatus.STATUS_ARRAY_BOUNDS_EXCEEDED,
                NtStatus.STATUS_FLOAT_DENORMAL_OPERAND,
                NtStatus.STATUS_FLOAT_DIVIDE_BY_ZERO,
                NtStatus.STATUS_FLOAT_INEXACT_RESULT,
                NtStatus.STATUS_FLOAT_INVALID_OPERATION,
                NtStatus.STATUS_FLOAT_OVERFLOW,
                NtStatus.STATUS_FLOAT_STACK_CHECK,
                NtStatus.STATUS_FLOAT_UNDERFLOW,
                NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO,
                NtStatus.STATUS_PRIVILEGED_INSTRUCTION);

        // warnings
        map(NtStatus.STATUS_DATATYPE_MISALIGNMENT, ERROR_NOACCESS);
        map(NtStatus.STATUS_PARTIAL_COPY, ERROR_PARTIAL_COPY);
        map(NtStatus.DBG_EXCEPTION_NOT_HANDLED, ERROR_DBG_EXCEPTION_NOT_HANDLED);

        // errors
        map(NtStatus.STATUS_UNSUCCESSFUL, ERROR_GEN_FAILURE);
        map(NtStatus.STATUS_NOT_IMPLEMENTED, ERROR_INVALID_FUNCTION);
        map(NtStatus.STATUS_INVALID_INFO_CLASS, ERROR_INVALID_PARAMETER);
        map(NtStatus.STATUS_INFO_LENGTH_MISMATCH, ERROR_BAD_LENGTH);
        map(NtStatus.STATUS_ACCESS_VIOLATION, ERROR_NOACCESS);
        map(NtStatus.STATUS_IN_PAGE_ERROR, ERROR_SWAPERROR);
        map(NtStatus.STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE);
        map(NtStatus.STATUS_INVALID_CID, ERROR_INVALID_PARAMETER);
        map(NtStatus.STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER);
        map(NtStatus.STATUS_INVALID_DEVICE_REQUEST, ERROR_INVALID_FUNCTION);
        map(NtStatus.STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY);
        map(NtStatus.STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED);
        map(NtStatus.STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER);
        map(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE);
        map(NtStatus.STATUS_OBJECT_NAME_INVALID, ERROR_INVALID_NAME);
        map(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND);
        map(NtStatus.STATUS_OBJECT_NAME_COLLISION, ERROR_ALREADY_EXISTS);
        map(NtStatus.STATUS_PORT_ALREADY_SET, ERROR_INVALID_PARAMETER);
        map(NtStatus.STATUS_SUSPEND_COUNT_EXCEEDED, ERROR_SIGNAL_REFUSED);
        map(NtStatus.STATUS_THREAD_IS_TERMINATING, ERROR_ACCESS_DENIED);
        map(NtStatus.STATUS_INTEGER_OVERFLOW, ERROR_ARITHMETIC_OVERFLOW);
        map(NtStatus.STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES);
        map(NtStatus.STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED);
        map(NtStatus.STATUS_STACK_OVERFLOW, ERROR_STACK_OVERFLOW);
        map(NtStatus.STATUS_PROCESS_IS_TERMINATING, ERROR_ACCESS_DENIED);
        map(NtStatus.STATUS_CANCELLED, ERROR_OPERATION_ABORTED);
        map(NtStatus.STATUS_THREAD_NOT_IN_PROCESS, ERROR_THREAD_NOT_IN_PROCESS);
        map(NtStatus.STATUS_CONTROL_C_EXIT, ERROR_CONTROL_C_EXIT);
        map(NtStatus.STATUS_NOT_FOUND, ERROR_NOT_FOUND);
        map(NtStatus.STATUS_PORT_NOT_SET, ERROR_PORT_NOT_SET);
        map(NtStatus.STATUS_DEBUGGER_INACTIVE, ERROR_DEBUGGER_INACTIVE);
        map(NtStatus.STATUS_STACK_BUFFER_OVERRUN, ERROR_STACK_BUFFER_OVERRUN);
        map(NtStatus.STATUS_ASSERTION_FAILURE, ERROR_ASSERTION_FAILURE);
        map(NtStatus.STATUS_PROCESS_IS_PROTECTED, ERROR_PROCESS_IS_PROTECTED);
    }

    private static int define(String name, int code) {
        if (NAMES.putIfAbsent(code, name) != null) {
            throw new IllegalStateException("duplicate Win32 error " + name);
        }
        return code;
    }

    private static void map(NtStatus status, int error) {
        if (FROM_STATUS.putIfAbsent(status.value(), error) != null) {
            throw new IllegalStateException("duplicate mapping for " + status);
        }
    }

    /** Exception codes Windows passes through unchanged (its table maps them to themselves). */
    private static void identity(NtStatus... statuses) {
        for (NtStatus status : statuses) {
            map(status, status.value());
        }
    }

    /**
     * Implements {@code RtlNtStatusToDosError}.
     *
     * @param status an NTSTATUS
     * @return the Win32 error: ERROR_SUCCESS for STATUS_SUCCESS, the table entry for a known status,
     *         ERROR_MR_MID_NOT_FOUND for an unknown one
     */
    public static int fromNtStatus(NtStatus status) {
        return fromNtStatus(status.value());
    }

    /**
     * Implements {@code RtlNtStatusToDosError} on a raw value. Besides the table, it applies the fixed
     * rules of the real routine: 0 and customer-defined codes (bit 29) come back unchanged, severity
     * 0xD is treated as 0xC, and codes of facility 0xC001 / 0x8007 / 0xC007 (Win32 errors wrapped as
     * NTSTATUS or HRESULT) yield their low 16 bits.
     *
     * @param status a raw NTSTATUS
     * @return the Win32 error
     */
    public static int fromNtStatus(int status) {
        if (status == 0 || (status & 0x2000_0000) != 0) {
            return status;
        }
        int normalized = (status & 0xF000_0000) == 0xD000_0000 ? status & ~0x1000_0000 : status;
        int high = normalized >>> 16;
        if (high == 0xC001 || high == 0x8007 || high == 0xC007) {
            return normalized & 0xFFFF;
        }
        return FROM_STATUS.getOrDefault(normalized, ERROR_MR_MID_NOT_FOUND);
    }

    /**
     * @param error a Win32 error code
     * @return its symbolic name such as {@code "ERROR_ACCESS_DENIED"}, or null if it is not one of the
     *         constants above
     */
    public static String name(int error) {
        return NAMES.get(error);
    }
}
