package dev.debugport.nt;

import java.util.Objects;

/**
 * The {@code u} union of a Win32 {@code DEBUG_EVENT}: one record per {@code *_DEBUG_INFO} structure.
 * Pointers in the debuggee's address space are plain {@code long} addresses.
 */
public sealed interface DebugEventInfo {

    /** @return the dwDebugEventCode this union member belongs to */
    DebugEventCode code();

    /**
     * {@code EXCEPTION_DEBUG_INFO}.
     *
     * @param exceptionRecord ExceptionRecord
     * @param firstChance     dwFirstChance
     */
    record ExceptionDebugInfo(ExceptionRecord exceptionRecord, boolean firstChance) implements DebugEventInfo {
        /** @throws NullPointerException if the record is null */
        public ExceptionDebugInfo {
            Objects.requireNonNull(exceptionRecord, "exceptionRecord");
        }

        @Override
        public DebugEventCode code() {
            return DebugEventCode.EXCEPTION_DEBUG_EVENT;
        }
    }

    /**
     * {@code CREATE_THREAD_DEBUG_INFO}.
     *
     * @param thread          hThread
     * @param threadLocalBase lpThreadLocalBase (the TEB address, 0 if it could not be queried)
     * @param startAddress    lpStartAddress
     */
    record CreateThreadDebugInfo(Handle thread, long threadLocalBase, long startAddress) implements DebugEventInfo {
        /** @throws NullPointerException if the handle is null */
        public CreateThreadDebugInfo {
            Objects.requireNonNull(thread, "thread");
        }

        @Override
        public DebugEventCode code() {
            return DebugEventCode.CREATE_THREAD_DEBUG_EVENT;
        }
    }

    /**
     * {@code CREATE_PROCESS_DEBUG_INFO}.
     *
     * @param file                hFile (owned by the debugger; never closed by kernel32)
     * @param process             hProcess
     * @param thread              hThread
     * @param baseOfImage         lpBaseOfImage
     * @param debugInfoFileOffset dwDebugInfoFileOffset
     * @param debugInfoSize       nDebugInfoSize
     * @param threadLocalBase     lpThreadLocalBase
     * @param startAddress        lpStartAddress
     * @param imageName           lpImageName (null from DbgUi)
     * @param unicode             fUnicode
     */
    record CreateProcessDebugInfo(Handle file, Handle process, Handle thread, long baseOfImage,
                                  int debugInfoFileOffset, int debugInfoSize, long threadLocalBase,
                                  long startAddress, long imageName, boolean unicode) implements DebugEventInfo {
        /** @throws NullPointerException if a handle is null */
        public CreateProcessDebugInfo {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(process, "process");
            Objects.requireNonNull(thread, "thread");
        }

        @Override
        public DebugEventCode code() {
            return DebugEventCode.CREATE_PROCESS_DEBUG_EVENT;
        }
    }

    /**
     * {@code EXIT_THREAD_DEBUG_INFO}.
     *
     * @param exitCode dwExitCode
     */
    record ExitThreadDebugInfo(int exitCode) implements DebugEventInfo {
        @Override
        public DebugEventCode code() {
            return DebugEventCode.EXIT_THREAD_DEBUG_EVENT;
        }
    }

    /**
     * {@code EXIT_PROCESS_DEBUG_INFO}.
     *
     * @param exitCode dwExitCode
     */
    record ExitProcessDebugInfo(int exitCode) implements DebugEventInfo {
        @Override
        public DebugEventCode code() {
            return DebugEventCode.EXIT_PROCESS_DEBUG_EVENT;
        }
    }

    /**
     * {@code LOAD_DLL_DEBUG_INFO}.
     *
     * @param file                hFile (owned by the debugger; never closed by kernel32)
     * @param baseOfDll           lpBaseOfDll
     * @param debugInfoFileOffset dwDebugInfoFileOffset
     * @param debugInfoSize       nDebugInfoSize
     * @param imageName           lpImageName: address in the debuggee of a pointer to the name, or 0
     * @param unicode             fUnicode
     */
    record LoadDllDebugInfo(Handle file, long baseOfDll, int debugInfoFileOffset, int debugInfoSize,
                            long imageName, boolean unicode) implements DebugEventInfo {
        /** @throws NullPointerException if the handle is null */
        public LoadDllDebugInfo {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public DebugEventCode code() {
            return DebugEventCode.LOAD_DLL_DEBUG_EVENT;
        }
    }

    /**
     * {@code UNLOAD_DLL_DEBUG_INFO}.
     *
     * @param baseOfDll lpBaseOfDll
     */
    record UnloadDllDebugInfo(long baseOfDll) implements DebugEventInfo {
        @Override
        public DebugEventCode code() {
            return DebugEventCode.UNLOAD_DLL_DEBUG_EVENT;
        }
    }

    /**
     * {@code OUTPUT_DEBUG_STRING_INFO}.
     *
     * @param debugStringData   lpDebugStringData: address of the string in the debuggee
     * @param unicode           fUnicode
     * @param debugStringLength nDebugStringLength (a WORD in the C structure)
     */
    record OutputDebugStringInfo(long debugStringData, boolean unicode, int debugStringLength)
            implements DebugEventInfo {
        @Override
        public DebugEventCode code() {
            return DebugEventCode.OUTPUT_DEBUG_STRING_EVENT;
        }
    }

    /**
     * {@code RIP_INFO}.
     *
     * @param error dwError
     * @param type  dwType (SLE_ERROR 1, SLE_MINORERROR 2, SLE_WARNING 3)
     */
    record RipInfo(int error, int type) implements DebugEventInfo {
        @Override
        public DebugEventCode code() {
            return DebugEventCode.RIP_EVENT;
        }
    }
}
