package dev.debugport.nt;

import java.util.Objects;

/**
 * The {@code StateInfo} union of a DBGUI_WAIT_STATE_CHANGE: CreateThread {HandleToThread, NewThread},
 * CreateProcessInfo {HandleToProcess, HandleToThread, NewProcess}, or one of the plain DBGKM bodies
 * (ExitThread, ExitProcess, Exception, LoadDll, UnloadDll), or nothing for a zeroed structure.
 */
public sealed interface WaitStateInfo {

    /** The empty union of an idle / zeroed structure. */
    None NONE = new None();

    /**
     * {@code DBGUI_CREATE_THREAD}.
     *
     * @param handleToThread HandleToThread, opened in the debugger's handle table (null on failure)
     * @param newThread      NewThread
     */
    record CreateThread(Handle handleToThread, DbgkmCreateThread newThread) implements WaitStateInfo {
        /** @throws NullPointerException if a component is null */
        public CreateThread {
            Objects.requireNonNull(handleToThread, "handleToThread");
            Objects.requireNonNull(newThread, "newThread");
        }
    }

    /**
     * {@code DBGUI_CREATE_PROCESS}.
     *
     * @param handleToProcess HandleToProcess, opened in the debugger's handle table (null on failure)
     * @param handleToThread  HandleToThread, opened in the debugger's handle table (null on failure)
     * @param newProcess      NewProcess; its FileHandle is the debugger's copy of the image handle
     */
    record CreateProcess(Handle handleToProcess, Handle handleToThread, DbgkmCreateProcess newProcess)
            implements WaitStateInfo {
        /** @throws NullPointerException if a component is null */
        public CreateProcess {
            Objects.requireNonNull(handleToProcess, "handleToProcess");
            Objects.requireNonNull(handleToThread, "handleToThread");
            Objects.requireNonNull(newProcess, "newProcess");
        }
    }

    /**
     * The union members that are plain DBGKM bodies: ExitThread, ExitProcess, Exception, LoadDll,
     * UnloadDll.
     *
     * @param payload the body
     */
    record Message(DbgkmPayload payload) implements WaitStateInfo {
        /** @throws NullPointerException if the payload is null */
        public Message {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** No union member: the zeroed StateInfo of an idle or failed wait. Use {@link #NONE}. */
    record None() implements WaitStateInfo {
    }
}
