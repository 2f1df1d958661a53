package dev.debugport.nt;

import java.util.HashMap;
import java.util.Map;

/**
 * An {@code NTSTATUS} value: the 32-bit status code every NT service returns.
 *
 * <p>Bits 31..30 are the severity (0 success, 1 informational, 2 warning, 3 error); a status is a
 * success ({@code NT_SUCCESS}) when it is non-negative as a signed 32-bit number. The constants cover
 * every status named in {@code spec/dbgk.md} §1.1 and §1.2 (including the {@code DBG_*} continue and
 * debug-exception codes) plus the common exception codes and object-manager statuses the other layers
 * use. {@link #of(int)} returns the canonical constant when the value is known, so {@code ==} works for
 * known values, but comparisons should use {@link #equals(Object)}.
 *
 * @param value the raw 32-bit status (negative for warnings and errors)
 */
public record NtStatus(int value) {

    /** Canonical instances by value; filled while the constants below are initialised. */
    private static final Map<Integer, NtStatus> KNOWN = new HashMap<>();
    /** Symbolic names by value. */
    private static final Map<Integer, String> NAMES = new HashMap<>();

    // ---- success and informational (severity 0 and 1) ----

    /** STATUS_SUCCESS: the operation completed. */
    public static final NtStatus STATUS_SUCCESS = define("STATUS_SUCCESS", 0x00000000);
    /** STATUS_ABANDONED: a wait was satisfied by an abandoned mutant (STATUS_ABANDONED_WAIT_0). */
    public static final NtStatus STATUS_ABANDONED = define("STATUS_ABANDONED", 0x00000080);
    /** STATUS_USER_APC: a wait was interrupted to deliver a user-mode APC. */
    public static final NtStatus STATUS_USER_APC = define("STATUS_USER_APC", 0x000000C0);
    /** STATUS_ALERTED: an alertable wait was alerted. */
    public static final NtStatus STATUS_ALERTED = define("STATUS_ALERTED", 0x00000101);
    /** STATUS_TIMEOUT: a wait timed out. */
    public static final NtStatus STATUS_TIMEOUT = define("STATUS_TIMEOUT", 0x00000102);
    /** STATUS_PENDING: the {@code ReturnedStatus} placeholder of a queued debug message. */
    public static final NtStatus STATUS_PENDING = define("STATUS_PENDING", 0x00000103);
    /** DBG_EXCEPTION_HANDLED: continue status, the debugger handled the exception. */
    public static final NtStatus DBG_EXCEPTION_HANDLED = define("DBG_EXCEPTION_HANDLED", 0x00010001);
    /** DBG_CONTINUE: continue status, resume the thread. */
    public static final NtStatus DBG_CONTINUE = define("DBG_CONTINUE", 0x00010002);
    /** STATUS_OBJECT_NAME_EXISTS: a named object was opened instead of created. */
    public static final NtStatus STATUS_OBJECT_NAME_EXISTS = define("STATUS_OBJECT_NAME_EXISTS", 0x40000000);
    /** STATUS_FATAL_APP_EXIT: exception code raised by FatalAppExit / abort. */
    public static final NtStatus STATUS_FATAL_APP_EXIT = define("STATUS_FATAL_APP_EXIT", 0x40000015);
    /** STATUS_WX86_BREAKPOINT: WOW64 (x86) breakpoint, reported as a plain exception. */
    public static final NtStatus STATUS_WX86_BREAKPOINT = define("STATUS_WX86_BREAKPOINT", 0x4000001F);
    /** DBG_REPLY_LATER: continue status, re-queue the event (Windows 10 1507+). */
    public static final NtStatus DBG_REPLY_LATER = define("DBG_REPLY_LATER", 0x40010001);
    /** DBG_UNABLE_TO_PROVIDE_HANDLE: the debugger could not be given a handle. */
    public static final NtStatus DBG_UNABLE_TO_PROVIDE_HANDLE = define("DBG_UNABLE_TO_PROVIDE_HANDLE", 0x40010002);
    /** DBG_TERMINATE_THREAD: continue status, terminate the reporting thread. */
    public static final NtStatus DBG_TERMINATE_THREAD = define("DBG_TERMINATE_THREAD", 0x40010003);
    /** DBG_TERMINATE_PROCESS: continue status, terminate the reporting process. */
    public static final NtStatus DBG_TERMINATE_PROCESS = define("DBG_TERMINATE_PROCESS", 0x40010004);
    /** DBG_CONTROL_C: exception code of a console Ctrl+C delivered to a debugged process. */
    public static final NtStatus DBG_CONTROL_C = define("DBG_CONTROL_C", 0x40010005);
    /** DBG_PRINTEXCEPTION_C: exception code raised by OutputDebugStringA. */
    public static final NtStatus DBG_PRINTEXCEPTION_C = define("DBG_PRINTEXCEPTION_C", 0x40010006);
    /** DBG_RIPEXCEPTION: exception code that becomes a Win32 RIP_EVENT. */
    public static final NtStatus DBG_RIPEXCEPTION = define("DBG_RIPEXCEPTION", 0x40010007);
    /** DBG_CONTROL_BREAK: exception code of a console Ctrl+Break delivered to a debugged process. */
    public static final NtStatus DBG_CONTROL_BREAK = define("DBG_CONTROL_BREAK", 0x40010008);
    /** DBG_COMMAND_EXCEPTION: debugger command exception. */
    public static final NtStatus DBG_COMMAND_EXCEPTION = define("DBG_COMMAND_EXCEPTION", 0x40010009);
    /** DBG_PRINTEXCEPTION_WIDE_C: exception code raised by OutputDebugStringW (Windows 10). */
    public static final NtStatus DBG_PRINTEXCEPTION_WIDE_C = define("DBG_PRINTEXCEPTION_WIDE_C", 0x4001000A);

    // ---- warnings (severity 2) ----

    /** STATUS_GUARD_PAGE_VIOLATION: a guard page was touched. */
    public static final NtStatus STATUS_GUARD_PAGE_VIOLATION = define("STATUS_GUARD_PAGE_VIOLATION", 0x80000001);
    /** STATUS_DATATYPE_MISALIGNMENT: a probe found a misaligned pointer. */
    public static final NtStatus STATUS_DATATYPE_MISALIGNMENT = define("STATUS_DATATYPE_MISALIGNMENT", 0x80000002);
    /** STATUS_BREAKPOINT: breakpoint exception (int 3); NewState DbgBreakpointStateChange. */
    public static final NtStatus STATUS_BREAKPOINT = define("STATUS_BREAKPOINT", 0x80000003);
    /** STATUS_SINGLE_STEP: trace-flag or hardware-breakpoint exception; NewState DbgSingleStepStateChange. */
    public static final NtStatus STATUS_SINGLE_STEP = define("STATUS_SINGLE_STEP", 0x80000004);
    /** STATUS_PARTIAL_COPY: a memory copy transferred only part of the data. */
    public static final NtStatus STATUS_PARTIAL_COPY = define("STATUS_PARTIAL_COPY", 0x8000000D);
    /** DBG_EXCEPTION_NOT_HANDLED: continue status, the debugger did not handle the exception. */
    public static final NtStatus DBG_EXCEPTION_NOT_HANDLED = define("DBG_EXCEPTION_NOT_HANDLED", 0x80010001);

    // ---- errors (severity 3) ----

    /** STATUS_UNSUCCESSFUL: generic failure. */
    public static final NtStatus STATUS_UNSUCCESSFUL = define("STATUS_UNSUCCESSFUL", 0xC0000001);
    /** STATUS_NOT_IMPLEMENTED: the service is not implemented. */
    public static final NtStatus STATUS_NOT_IMPLEMENTED = define("STATUS_NOT_IMPLEMENTED", 0xC0000002);
    /** STATUS_INVALID_INFO_CLASS: unknown information class. */
    public static final NtStatus STATUS_INVALID_INFO_CLASS = define("STATUS_INVALID_INFO_CLASS", 0xC0000003);
    /** STATUS_INFO_LENGTH_MISMATCH: wrong information buffer length. */
    public static final NtStatus STATUS_INFO_LENGTH_MISMATCH = define("STATUS_INFO_LENGTH_MISMATCH", 0xC0000004);
    /** STATUS_ACCESS_VIOLATION: invalid memory access (also a bad user pointer). */
    public static final NtStatus STATUS_ACCESS_VIOLATION = define("STATUS_ACCESS_VIOLATION", 0xC0000005);
    /** STATUS_IN_PAGE_ERROR: a page could not be read in. */
    public static final NtStatus STATUS_IN_PAGE_ERROR = define("STATUS_IN_PAGE_ERROR", 0xC0000006);
    /** STATUS_INVALID_HANDLE: the handle is not valid. */
    public static final NtStatus STATUS_INVALID_HANDLE = define("STATUS_INVALID_HANDLE", 0xC0000008);
    /** STATUS_INVALID_CID: the client id names no process or thread. */
    public static final NtStatus STATUS_INVALID_CID = define("STATUS_INVALID_CID", 0xC000000B);
    /** STATUS_INVALID_PARAMETER: a parameter is not valid. */
    public static final NtStatus STATUS_INVALID_PARAMETER = define("STATUS_INVALID_PARAMETER", 0xC000000D);
    /** STATUS_INVALID_DEVICE_REQUEST: the request is not valid for the target. */
    public static final NtStatus STATUS_INVALID_DEVICE_REQUEST = define("STATUS_INVALID_DEVICE_REQUEST", 0xC0000010);
    /** STATUS_NO_MEMORY: not enough virtual memory or quota. */
    public static final NtStatus STATUS_NO_MEMORY = define("STATUS_NO_MEMORY", 0xC0000017);
    /** STATUS_ILLEGAL_INSTRUCTION: invalid opcode exception. */
    public static final NtStatus STATUS_ILLEGAL_INSTRUCTION = define("STATUS_ILLEGAL_INSTRUCTION", 0xC000001D);
    /** STATUS_ACCESS_DENIED: the caller lacks the required access. */
    public static final NtStatus STATUS_ACCESS_DENIED = define("STATUS_ACCESS_DENIED", 0xC0000022);
    /** STATUS_BUFFER_TOO_SMALL: the output buffer is too small. */
    public static final NtStatus STATUS_BUFFER_TOO_SMALL = define("STATUS_BUFFER_TOO_SMALL", 0xC0000023);
    /** STATUS_OBJECT_TYPE_MISMATCH: the handle refers to an object of another type. */
    public static final NtStatus STATUS_OBJECT_TYPE_MISMATCH = define("STATUS_OBJECT_TYPE_MISMATCH", 0xC0000024);
    /** STATUS_NONCONTINUABLE_EXCEPTION: an attempt to continue a non-continuable exception. */
    public static final NtStatus STATUS_NONCONTINUABLE_EXCEPTION = define("STATUS_NONCONTINUABLE_EXCEPTION", 0xC0000025);
    /** STATUS_INVALID_DISPOSITION: an exception handler returned an invalid disposition. */
    public static final NtStatus STATUS_INVALID_DISPOSITION = define("STATUS_INVALID_DISPOSITION", 0xC0000026);
    /** STATUS_OBJECT_NAME_INVALID: the object name is malformed. */
    public static final NtStatus STATUS_OBJECT_NAME_INVALID = define("STATUS_OBJECT_NAME_INVALID", 0xC0000033);
    /** STATUS_OBJECT_NAME_NOT_FOUND: no object has that name. */
    public static final NtStatus STATUS_OBJECT_NAME_NOT_FOUND = define("STATUS_OBJECT_NAME_NOT_FOUND", 0xC0000034);
    /** STATUS_OBJECT_NAME_COLLISION: an object with that name already exists. */
    public static final NtStatus STATUS_OBJECT_NAME_COLLISION = define("STATUS_OBJECT_NAME_COLLISION", 0xC0000035);
    /** STATUS_PORT_ALREADY_SET: the target process already has a debug port. */
    public static final NtStatus STATUS_PORT_ALREADY_SET = define("STATUS_PORT_ALREADY_SET", 0xC0000048);
    /** STATUS_SUSPEND_COUNT_EXCEEDED: the thread's suspend count would exceed its maximum. */
    public static final NtStatus STATUS_SUSPEND_COUNT_EXCEEDED = define("STATUS_SUSPEND_COUNT_EXCEEDED", 0xC000004A);
    /** STATUS_THREAD_IS_TERMINATING: the thread is exiting. */
    public static final NtStatus STATUS_THREAD_IS_TERMINATING = define("STATUS_THREAD_IS_TERMINATING", 0xC000004B);
    /** STATUS_ARRAY_BOUNDS_EXCEEDED: bound instruction exception. */
    public static final NtStatus STATUS_ARRAY_BOUNDS_EXCEEDED = define("STATUS_ARRAY_BOUNDS_EXCEEDED", 0xC000008C);
    /** STATUS_FLOAT_DENORMAL_OPERAND: x87/SSE denormal-operand exception. */
    public static final NtStatus STATUS_FLOAT_DENORMAL_OPERAND = define("STATUS_FLOAT_DENORMAL_OPERAND", 0xC000008D);
    /** STATUS_FLOAT_DIVIDE_BY_ZERO: floating-point divide by zero. */
    public static final NtStatus STATUS_FLOAT_DIVIDE_BY_ZERO = define("STATUS_FLOAT_DIVIDE_BY_ZERO", 0xC000008E);
    /** STATUS_FLOAT_INEXACT_RESULT: floating-point inexact result. */
    public static final NtStatus STATUS_FLOAT_INEXACT_RESULT = define("STATUS_FLOAT_INEXACT_RESULT", 0xC000008F);
    /** STATUS_FLOAT_INVALID_OPERATION: floating-point invalid operation. */
    public static final NtStatus STATUS_FLOAT_INVALID_OPERATION = define("STATUS_FLOAT_INVALID_OPERATION", 0xC0000090);
    /** STATUS_FLOAT_OVERFLOW: floating-point overflow. */
    public static final NtStatus STATUS_FLOAT_OVERFLOW = define("STATUS_FLOAT_OVERFLOW", 0xC0000091);
    /** STATUS_FLOAT_STACK_CHECK: x87 stack overflow or underflow. */
    public static final NtStatus STATUS_FLOAT_STACK_CHECK = define("STATUS_FLOAT_STACK_CHECK", 0xC0000092);
    /** STATUS_FLOAT_UNDERFLOW: floating-point underflow. */
    public static final NtStatus STATUS_FLOAT_UNDERFLOW = define("STATUS_FLOAT_UNDERFLOW", 0xC0000093);
    /** STATUS_INTEGER_DIVIDE_BY_ZERO: integer divide by zero (#DE). */
    public static final NtStatus STATUS_INTEGER_DIVIDE_BY_ZERO = define("STATUS_INTEGER_DIVIDE_BY_ZERO", 0xC0000094);
    /** STATUS_INTEGER_OVERFLOW: integer overflow (#DE on quotient overflow, into). */
    public static final NtStatus STATUS_INTEGER_OVERFLOW = define("STATUS_INTEGER_OVERFLOW", 0xC0000095);
    /** STATUS_PRIVILEGED_INSTRUCTION: a privileged instruction in user mode. */
    public static final NtStatus STATUS_PRIVILEGED_INSTRUCTION = define("STATUS_PRIVILEGED_INSTRUCTION", 0xC0000096);
    /** STATUS_INSUFFICIENT_RESOURCES: a (NOWAIT) allocation failed. */
    public static final NtStatus STATUS_INSUFFICIENT_RESOURCES = define("STATUS_INSUFFICIENT_RESOURCES", 0xC000009A);
    /** STATUS_NOT_SUPPORTED: e.g. a 32-bit (WOW64) debugger against a 64-bit target. */
    public static final NtStatus STATUS_NOT_SUPPORTED = define("STATUS_NOT_SUPPORTED", 0xC00000BB);
    /** STATUS_STACK_OVERFLOW: the thread's stack is exhausted. */
    public static final NtStatus STATUS_STACK_OVERFLOW = define("STATUS_STACK_OVERFLOW", 0xC00000FD);
    /** STATUS_PROCESS_IS_TERMINATING: the target's rundown protection is gone. */
    public static final NtStatus STATUS_PROCESS_IS_TERMINATING = define("STATUS_PROCESS_IS_TERMINATING", 0xC000010A);
    /** STATUS_CANCELLED: the operation was cancelled. */
    public static final NtStatus STATUS_CANCELLED = define("STATUS_CANCELLED", 0xC0000120);
    /** STATUS_THREAD_NOT_IN_PROCESS: the thread does not belong to the process. */
    public static final NtStatus STATUS_THREAD_NOT_IN_PROCESS = define("STATUS_THREAD_NOT_IN_PROCESS", 0xC000012A);
    /** STATUS_CONTROL_C_EXIT: exit code of a process ended by Ctrl+C. */
    public static final NtStatus STATUS_CONTROL_C_EXIT = define("STATUS_CONTROL_C_EXIT", 0xC000013A);
    /** STATUS_NOT_FOUND: the object was not found. */
    public static final NtStatus STATUS_NOT_FOUND = define("STATUS_NOT_FOUND", 0xC0000225);
    /** STATUS_PORT_NOT_SET: no debug port, a suppressed message, or detach of a process not debugged. */
    public static final NtStatus STATUS_PORT_NOT_SET = define("STATUS_PORT_NOT_SET", 0xC0000353);
    /** STATUS_DEBUGGER_INACTIVE: the debug object is closing; also the kill-on-close exit code. */
    public static final NtStatus STATUS_DEBUGGER_INACTIVE = define("STATUS_DEBUGGER_INACTIVE", 0xC0000354);
    /** STATUS_STACK_BUFFER_OVERRUN: fail-fast code (__fastfail / /GS cookie failure). */
    public static final NtStatus STATUS_STACK_BUFFER_OVERRUN = define("STATUS_STACK_BUFFER_OVERRUN", 0xC0000409);
    /** STATUS_ASSERTION_FAILURE: exception code of an assertion (int 2c). */
    public static final NtStatus STATUS_ASSERTION_FAILURE = define("STATUS_ASSERTION_FAILURE", 0xC0000420);
    /** STATUS_PROCESS_IS_PROTECTED: the target is a protected process (Windows 10). */
    public static final NtStatus STATUS_PROCESS_IS_PROTECTED = define("STATUS_PROCESS_IS_PROTECTED", 0xC0000712);

    private static NtStatus define(String name, int value) {
        NtStatus status = new NtStatus(value);
        if (KNOWN.putIfAbsent(value, status) != null) {
            throw new IllegalStateException("duplicate NTSTATUS " + name);
        }
        NAMES.put(value, name);
        return status;
    }

    /**
     * The status with the given raw value.
     *
     * @param value a raw 32-bit NTSTATUS
     * @return the canonical constant when the value is one of the constants above, else a new instance
     */
    public static NtStatus of(int value) {
        NtStatus known = KNOWN.get(value);
        return known != null ? known : new NtStatus(value);
    }

    /** @return the severity field, bits 31..30: 0 success, 1 informational, 2 warning, 3 error */
    public int severity() {
        return value >>> 30;
    }

    /** @return {@code NT_SUCCESS(value)}: true when the value is non-negative as a signed 32-bit number */
    public boolean isSuccess() {
        return value >= 0;
    }

    /** @return true for severity 1 ({@code NT_INFORMATION}) */
    public boolean isInformational() {
        return severity() == 1;
    }

    /** @return true for severity 2 ({@code NT_WARNING}), e.g. STATUS_BREAKPOINT, DBG_EXCEPTION_NOT_HANDLED */
    public boolean isWarning() {
        return severity() == 2;
    }

    /** @return true for severity 3 ({@code NT_ERROR}) */
    public boolean isError() {
        return severity() == 3;
    }

    /** @return the symbolic name such as {@code "STATUS_ACCESS_DENIED"}, or null when the value is not known */
    public String symbolicName() {
        return NAMES.get(value);
    }

    /** @return the value as {@code "0x"} plus eight upper-case hex digits, e.g. {@code "0xC0000022"} */
    public String hex() {
        return String.format("0x%08X", value);
    }

    /** @return {@code "STATUS_ACCESS_DENIED (0xC0000022)"}, or only the hex form when the value is not known */
    @Override
    public String toString() {
        String name = symbolicName();
        return name == null ? hex() : name + " (" + hex() + ")";
    }

    // equals and hashCode are written out: a record's generated ones are linked at their first call by a
    // method-handle bootstrap (ObjectMethods) and run as a method-handle chain until the JIT gets to them, which
    // showed in cold runs (an attach compares statuses for every thread: bench/attach-many).
    @Override
    public boolean equals(Object o) {
        return o instanceof NtStatus s && s.value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }
}
