package dev.debugport.sim;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.memory.MemoryFault;

/**
 * The sim's tiny x86 interpreter: enough machine code for breakpoints, single steps and faulting fetches to behave
 * as on real hardware, with Rip in the thread's context as the program counter (so a debugger's SetThreadContext
 * during an event redirects execution, and a debugger that restores an int3's byte and moves Rip back re-executes
 * it). Every instruction is a safe point.
 *
 * <table>
 * <caption>Instructions</caption>
 * <tr><td>0x90</td><td>NOP</td></tr>
 * <tr><td>0xC3</td><td>RET: ends {@link #execute}</td></tr>
 * <tr><td>0xCC</td><td>INT3: STATUS_BREAKPOINT at the int3, {@code ExceptionInformation[0] = 0}, Rip = int3 + 1</td></tr>
 * <tr><td>0xCD 0x03</td><td>INT 3 (two-byte form): STATUS_BREAKPOINT {0} with Rip = after the instruction and
 *     ExceptionAddress = Rip - 1 (the breakpoint trap assumes the one-byte int3)</td></tr>
 * <tr><td>0xCD 0x29</td><td>__fastfail(rcx): STATUS_STACK_BUFFER_OVERRUN straight to the second chance
 *     ({@link ExceptionRaiser#fastFail})</td></tr>
 * <tr><td>0xCD 0x2C</td><td>int 0x2c: STATUS_ASSERTION_FAILURE at the instruction</td></tr>
 * <tr><td>0xCD 0x2D</td><td>debug service (KiDebugServiceTrap), service number in eax: the kernel always skips the
 *     byte after the instruction (Rip = int 0x2d + 3); services 1 (PRINT), 3 (LOAD_SYMBOLS), 4 (UNLOAD_SYMBOLS) and 5
 *     (COMMAND_STRING) are the kernel debugger's and raise nothing on a native 64-bit process; any other raises
 *     STATUS_BREAKPOINT {rax} with ExceptionAddress = Rip (handlers then see Rip backed up onto the skipped byte)</td></tr>
 * <tr><td>0xCD other</td><td>a general-protection fault: STATUS_ACCESS_VIOLATION {0, -1} at the instruction</td></tr>
 * <tr><td>0xEB rel8</td><td>JMP short</td></tr>
 * <tr><td>other</td><td>a one-byte no-op</td></tr>
 * </table>
 *
 * <p>Debug registers ({@link HardwareBreakpoints}): before an instruction runs, an enabled execute breakpoint
 * (DR7 L/G set, R/W 00) on its address raises STATUS_SINGLE_STEP as a fault — ExceptionAddress and Rip on the
 * instruction, DR6 B0-B3 naming the slots — unless EFLAGS.RF is set; RF lets the instruction run once and is clear
 * after it completes, so a debugger continues past an execute breakpoint by setting RF. A breakpoint that fires counts
 * as one of {@code maxInstructions}. The interpreter's instructions read and write no data, so data breakpoints
 * (R/W 01, 11) fire only on the guest's {@link GuestApi#read} and {@link GuestApi#write}; instruction fetches do not
 * fire them, as on the CPU. I/O breakpoints (R/W 10) are not modelled.
 */
final class Interpreter {
    private static final int RET = 0xC3;
    private static final int INT3 = 0xCC;
    private static final int JMP_REL8 = 0xEB;
    private static final int INT_IMM8 = 0xCD;
    private static final int VECTOR_BREAKPOINT = 0x03;
    private static final int VECTOR_FAST_FAIL = 0x29;
    private static final int VECTOR_ASSERTION = 0x2C;
    private static final int VECTOR_DEBUG_SERVICE = 0x2D;

    private final SimThread thread;

    Interpreter(SimThread thread) {
        this.thread = thread;
    }

    /** Runs from {@code address}; see {@link GuestApi#execute}. */
    long execute(long address, int maxInstructions) {
        thread.setContext(thread.context().withRip(address));
        for (int step = 0; step < maxInstructions; step++) {
            thread.checkpoint();
            Amd64Context start = thread.context();
            long rip = start.rip();
            boolean trap = start.trapFlag();
            boolean resume = start.resumeFlag();
            if (!resume && executeBreakpoint(start, rip)) {
                continue; // a fault: execution goes on from the context's Rip, normally this instruction again
            }
            // RF lets this one instruction past its execute breakpoint; it is clear once the instruction completes.
            Amd64Context done = resume ? start.withResumeFlag(false) : start;
            int opcode = fetch(rip, rip);
            if (opcode < 0) {
                continue; // the fault was handled: resume from the context's Rip
            }
            long next;
            switch (opcode) {
                case RET -> {
                    // Execution leaves the interpreter here; a pending trap has nowhere to be reported.
                    if (trap || resume) {
                        thread.setContext(thread.context().withTrapFlag(false).withResumeFlag(false));
                    }
                    return rip;
                }
                case INT3 -> {
                    // A trap: the context already points past the int3 when the exception is reported.
                    ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), rip, 0);
                    thread.exceptions().dispatch(record, done.withRip(rip + 1));
                    continue;
                }
                case INT_IMM8 -> {
                    int vector = fetch(rip + 1, rip);
                    if (vector < 0) {
                        continue;
                    }
                    if (interrupt(vector, rip, done)) {
                        continue;
                    }
                    next = rip + 3; // int 0x2d with a kernel-debugger service: nothing raised, one byte skipped
                }
                case JMP_REL8 -> {
                    int rel = fetch(rip + 1, rip);
                    if (rel < 0) {
                        continue;
                    }
                    next = rip + 2 + (byte) rel;
                }
                default -> next = rip + 1; // NOP and every other byte
            }
            Amd64Context after = thread.context().withRip(next);
            if (resume) {
                after = after.withResumeFlag(false);
            }
            if (trap) {
                // The single step's debug exception reports no debug-register slot in DR6.
                after = HardwareBreakpoints.reporting(after.withTrapFlag(false), 0);
                thread.setContext(after);
                thread.exceptions().dispatch(ExceptionRecord.of(NtStatus.STATUS_SINGLE_STEP.value(), next), after);
            } else {
                thread.setContext(after);
            }
        }
        return thread.context().rip();
    }

    /**
     * Implements the execute breakpoints of DR0-DR3/DR7 (RF clear): if any enabled R/W 00 slot is on {@code rip},
     * STATUS_SINGLE_STEP is raised as a fault, before the instruction runs, with ExceptionAddress = Rip = {@code rip}
     * and the slots in DR6 B0-B3.
     *
     * @return true if a breakpoint fired
     */
    private boolean executeBreakpoint(Amd64Context start, long rip) {
        int slots = HardwareBreakpoints.executeHits(start, rip);
        if (slots == 0) {
            return false;
        }
        thread.exceptions().debugRegisterHit(slots, rip, start);
        return true;
    }

    /**
     * Runs {@code int vector} at {@code rip} (see the class table).
     *
     * @return true if an exception was dispatched (execution goes on from the context's Rip); false for a debug
     *     service the kernel handled without one (the caller continues at {@code rip + 3})
     */
    private boolean interrupt(int vector, long rip, Amd64Context start) {
        switch (vector) {
            case VECTOR_BREAKPOINT -> {
                long after = rip + 2;
                thread.exceptions().dispatch(ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), after - 1, 0), start.withRip(after));
            }
            case VECTOR_FAST_FAIL -> thread.exceptions().fastFail(start.get(Amd64Register.RCX), rip, start.withRip(rip + 2));
            case VECTOR_ASSERTION -> thread.exceptions().dispatch(
                    ExceptionRecord.of(NtStatus.STATUS_ASSERTION_FAILURE.value(), rip), start.withRip(rip));
            case VECTOR_DEBUG_SERVICE -> {
                long resume = rip + 3;
                long rax = start.get(Amd64Register.RAX);
                int service = (int) rax;
                if (service == 1 || service == 3 || service == 4 || service == 5) {
                    return false;
                }
                thread.exceptions().dispatch(ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), resume, rax), start.withRip(resume));
            }
            default -> thread.exceptions().dispatch(
                    ExceptionRecord.of(NtStatus.STATUS_ACCESS_VIOLATION.value(), rip, 0, -1L), start.withRip(rip));
        }
        return true;
    }

    /**
     * Fetches one instruction byte. An unmapped or non-executable byte raises STATUS_ACCESS_VIOLATION {8, address}
     * at the instruction; then -1 is returned.
     */
    private int fetch(long address, long instruction) {
        byte[] b = new byte[1];
        MemoryFault fault = thread.process().memory().guestFetch(address, b);
        if (fault != null) {
            thread.exceptions().accessViolation(fault, instruction);
            return -1;
        }
        return b[0] & 0xFF;
    }
}
