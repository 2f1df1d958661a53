package dev.debugport.sim;

import dev.debugport.kernel.ki.ExceptionDispatcher;
import dev.debugport.kernel.ki.ExceptionDispatcher.Outcome;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.memory.MemoryFault;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Raising and dispatching a guest thread's exceptions: RtlRaiseException and hardware faults go to the kernel's
 * KiDispatchException ({@link ExceptionDispatcher}), which offers them to the debugger and then to the program's
 * own handlers, here RtlDispatchException: the process's vectored handlers, then the thread's SEH frames, innermost
 * first.
 *
 * <p>Context rules (spec: wine scenarios E.56, E.57, dbgk §8.1): the thread's context is set to the exception
 * context before dispatch; if the debugger handles the exception the thread resumes from the context as the
 * debugger left it; if not, the program's handlers see the original context (a debugger's edits are discarded; a
 * breakpoint's Rip backed up by one byte, as KiDispatchException does before the user-mode dispatch), a
 * handler that continues execution resumes from the context it saw (possibly edited), and a second chance sees the
 * context after the handlers ran.
 */
final class ExceptionRaiser {
    /** One SEH frame (an {@code __try} scope). Identity matters: an unwind targets one frame. */
    private static final class Frame {
        final GuestHandler filter;

        Frame(GuestHandler filter) {
            this.filter = filter;
        }
    }

    private final SimThread thread;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();

    ExceptionRaiser(SimThread thread) {
        this.thread = thread;
    }

    /**
     * Implements RtlRaiseException: ExceptionAddress is the caller's return address (a fixed fake one in the exe).
     * {@code handler}, if given, is an SEH frame around the raise.
     *
     * @return how the exception ended (TERMINATED never returns: the thread unwinds)
     */
    Outcome raise(int code, int flags, long[] params, GuestHandler handler) {
        long at = thread.process().raiseReturnAddress();
        ExceptionRecord record = new ExceptionRecord(code, flags, null, at, parameters(params));
        return raise(record, thread.context().withRip(at), handler);
    }

    /** Raises a prepared record with {@code context}, with {@code handler} (may be null) as an SEH frame around it. */
    Outcome raise(ExceptionRecord record, Amd64Context context, GuestHandler handler) {
        if (handler == null) {
            return dispatch(record, context);
        }
        Frame frame = push(handler);
        try {
            return dispatch(record, context);
        } catch (GuestUnwind.SehUnwind unwind) {
            if (!unwind.targets(frame)) {
                throw unwind;
            }
            return Outcome.HANDLED_BY_PROGRAM;
        } finally {
            frames.remove(frame);
        }
    }

    /**
     * {@code __try { body } __except (filter) { }}: runs {@code body} with an SEH frame.
     *
     * @return true if the body completed, false if the filter returned EXECUTE_HANDLER and the body was unwound
     */
    boolean tryExcept(GuestCode body, GuestHandler filter, GuestApi guest) {
        Frame frame = push(filter);
        try {
            body.run(guest);
            return true;
        } catch (GuestUnwind.SehUnwind unwind) {
            if (!unwind.targets(frame)) {
                throw unwind;
            }
            return false;
        } finally {
            frames.remove(frame);
        }
    }

    /**
     * A guest access fault: STATUS_ACCESS_VIOLATION {kind, address} at {@code instructionAddress}. Returns if it was
     * handled (the caller retries the access).
     */
    Outcome accessViolation(MemoryFault fault, long instructionAddress) {
        ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_ACCESS_VIOLATION.value(), instructionAddress,
                fault.kind().code(), fault.address());
        return dispatch(record, thread.context().withRip(instructionAddress));
    }

    /**
     * A debug exception (#DB, KiDebugTrapOrFault) from the debug registers: STATUS_SINGLE_STEP at {@code address},
     * no parameters, with {@code context}'s DR6 B0-B3 set to {@code slots} ({@link HardwareBreakpoints}). For an
     * execute breakpoint (a fault) {@code context} still points at the instruction; for a data breakpoint (a trap) past
     * the access.
     */
    Outcome debugRegisterHit(int slots, long address, Amd64Context context) {
        ExceptionRecord record = ExceptionRecord.of(NtStatus.STATUS_SINGLE_STEP.value(), address);
        return dispatch(record, HardwareBreakpoints.reporting(context, slots));
    }

    /**
     * Implements __fastfail (int 0x29, Windows 8 and later; KiRaiseSecurityCheckFailure): STATUS_STACK_BUFFER_OVERRUN,
     * non-continuable, {@code ExceptionInformation[0] = code}, dispatched straight as a second chance — no first
     * chance, no vectored or SEH handler sees it. Unhandled (no debugger, or the debugger answered
     * DBG_EXCEPTION_NOT_HANDLED) the process ends with 0xC0000409 and this does not return.
     *
     * @param at the address of the failing instruction
     * @return HANDLED_BY_DEBUGGER_SECOND_CHANCE if a debugger handled it (execution goes on from the context)
     */
    Outcome fastFail(long code, long at, Amd64Context context) {
        ExceptionRecord record = new ExceptionRecord(NtStatus.STATUS_STACK_BUFFER_OVERRUN.value(),
                ExceptionRecord.EXCEPTION_NONCONTINUABLE, null, at, List.of(code));
        thread.setContext(context);
        Outcome outcome = thread.await(thread.kernel().exceptionDispatcher().secondChance(thread.thread(), record));
        if (outcome == Outcome.TERMINATED) {
            thread.checkpoint();
            throw new GuestUnwind.Termination();
        }
        return outcome;
    }

    /** The escaping-Java-exception path: a non-continuable exception with no SEH frames left. */
    Outcome raiseUnhandled(int code) {
        frames.clear();
        long at = thread.process().guestCodeAddress();
        ExceptionRecord record = new ExceptionRecord(code, ExceptionRecord.EXCEPTION_NONCONTINUABLE, null, at, List.of());
        return dispatch(record, thread.context().withRip(at));
    }

    /**
     * Implements the user-mode half of exception dispatch for an exception raised by this thread with
     * {@code context}: KiDispatchException through the kernel, with RtlDispatchException as the program's handlers.
     */
    Outcome dispatch(ExceptionRecord record, Amd64Context context) {
        thread.setContext(context);
        Dispatch dispatch = new Dispatch(record, context, new ArrayList<>(frames));
        // The kernel may call the handlers from whichever thread completed the debugger's reply; they are guest
        // code, so they run on this guest thread through its mailbox.
        ExceptionDispatcher.UserHandlers handlers = r -> CompletableFuture.supplyAsync(dispatch::runHandlers, thread.executor());
        Outcome outcome = thread.await(thread.kernel().exceptionDispatcher().dispatch(thread.thread(), record, handlers));
        if (outcome == Outcome.TERMINATED) {
            thread.checkpoint();
            throw new GuestUnwind.Termination();
        }
        if (outcome == Outcome.HANDLED_BY_PROGRAM) {
            if (dispatch.unwindTo != null) {
                throw new GuestUnwind.SehUnwind(dispatch.unwindTo);
            }
            if (dispatch.continuedNoncontinuable) {
                // RtlDispatchException: continuing a non-continuable exception raises STATUS_NONCONTINUABLE_EXCEPTION.
                ExceptionRecord nested = new ExceptionRecord(NtStatus.STATUS_NONCONTINUABLE_EXCEPTION.value(),
                        ExceptionRecord.EXCEPTION_NONCONTINUABLE, record, record.address(), List.of());
                return dispatch(nested, thread.context());
            }
        }
        return outcome;
    }

    private Frame push(GuestHandler filter) {
        Frame frame = new Frame(filter);
        frames.push(frame);
        return frame;
    }

    private static List<Long> parameters(long[] params) {
        if (params == null) {
            return List.of();
        }
        // RaiseException silently truncates to EXCEPTION_MAXIMUM_PARAMETERS.
        int n = Math.min(params.length, ExceptionRecord.EXCEPTION_MAXIMUM_PARAMETERS);
        List<Long> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(params[i]);
        }
        return list;
    }

    /** One dispatch's state: what the handlers decided. */
    private final class Dispatch {
        private final ExceptionRecord record;
        private final Amd64Context original;
        private final List<Frame> frameSnapshot;
        private Frame unwindTo;
        private boolean continuedNoncontinuable;

        Dispatch(ExceptionRecord record, Amd64Context original, List<Frame> frameSnapshot) {
            this.record = record;
            this.original = original;
            this.frameSnapshot = frameSnapshot;
        }

        /**
         * Implements RtlDispatchException: vectored handlers, then SEH frames innermost first. The handlers get the
         * context KiDispatchException copies to the user stack: for STATUS_BREAKPOINT (an int3, {@code int 3},
         * {@code int 0x2d} or a raised breakpoint) its Rip is backed up by one byte first, so a handler sees Rip on
         * an int3 the debugger saw Rip past (Windows x64, Wine exception tests), and must move it on to continue.
         */
        boolean runHandlers() {
            Amd64Context handlerContext = record.code() == NtStatus.STATUS_BREAKPOINT.value()
                    ? original.withRip(original.rip() - 1)
                    : original;
            thread.setContext(handlerContext);
            ExceptionPointers pointers = new ExceptionPointers(record, handlerContext);
            for (GuestHandler vectored : thread.process().vectoredHandlers()) {
                if (vectored.handle(pointers) == ExceptionDisposition.CONTINUE_EXECUTION) {
                    return continueExecution(pointers);
                }
            }
            for (Frame frame : frameSnapshot) {
                ExceptionDisposition disposition = frame.filter.handle(pointers);
                if (disposition == ExceptionDisposition.CONTINUE_EXECUTION) {
                    return continueExecution(pointers);
                }
                if (disposition == ExceptionDisposition.EXECUTE_HANDLER) {
                    unwindTo = frame;
                    return true;
                }
            }
            thread.setContext(pointers.context());
            return false;
        }

        private boolean continueExecution(ExceptionPointers pointers) {
            thread.setContext(pointers.context());
            if (record.isNoncontinuable()) {
                continuedNoncontinuable = true;
            }
            return true;
        }
    }
}
