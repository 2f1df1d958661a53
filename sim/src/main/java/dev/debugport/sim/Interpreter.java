package dev.debugport.sim;

import dev.debugport.nt.Amd64Context;
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
 * <tr><td>0xEB rel8</td><td>JMP short</td></tr>
 * <tr><td>other</td><td>a one-byte no-op</td></tr>
 * </table>
 */
final class Interpreter {
    private static final int RET = 0xC3;
    private static final int INT3 = 0xCC;
    private static final int JMP_REL8 = 0xEB;

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
            int opcode = fetch(rip, rip);
            if (opcode < 0) {
                continue; // the fault was handled: resume from the context's Rip
            }
            long next;
            switch (opcode) {
                case RET -> {
                    // Execution leaves the interpreter here; a pending trap has nowhere to be reported.
                    if (trap) {
                        thread.setContext(thread.context().withTrapFlag(false));
                    }
                    return rip;
                }
                case INT3 -> {
                    // A trap: the context already points past the int3 when the exception is reported.
                    ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_BREAKPOINT.value(), rip, 0);
                    thread.exceptions().dispatch(record, start.withRip(rip + 1));
                    continue;
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
            if (trap) {
                after = after.withTrapFlag(false);
                thread.setContext(after);
                thread.exceptions().dispatch(ExceptionRecord.of(NtStatus.STATUS_SINGLE_STEP.value(), next), after);
            } else {
                thread.setContext(after);
            }
        }
        return thread.context().rip();
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
