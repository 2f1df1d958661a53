package dev.debugport.sim;

import dev.debugport.kernel.Kernel;
import dev.debugport.kernel.NtResult;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ki.ExceptionDispatcher.Outcome;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.Peb;
import dev.debugport.kernel.ps.ProcessManager;
import dev.debugport.kernel.ps.Teb;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.Win32Error;
import dev.debugport.sim.memory.MemoryFault;
import dev.debugport.sim.memory.PageProtection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/** The {@link GuestApi} of one guest thread. Each call starts with a safe point (see {@link SimThread#checkpoint}). */
final class SimGuest implements GuestApi {
    private final SimThread thread;
    private final SimPlatform platform;
    private final ModuleLoader loader;
    private final Interpreter interpreter;

    SimGuest(SimThread thread, SimPlatform platform) {
        this.thread = thread;
        this.platform = platform;
        this.loader = new ModuleLoader(thread);
        this.interpreter = new Interpreter(thread);
    }

    private void enter() {
        thread.checkpoint();
    }

    @Override
    public EThread thread() {
        return thread.thread();
    }

    @Override
    public EProcess process() {
        return thread.thread().process();
    }

    @Override
    public Kernel kernel() {
        return thread.kernel();
    }

    @Override
    public SimProcess simProcess() {
        enter();
        return thread.process();
    }

    @Override
    public void safePoint() {
        enter();
    }

    // ---- threads and processes ----

    @Override
    public EThread createThread(GuestCode body) {
        return createThread(body, false, false);
    }

    @Override
    public EThread createThread(GuestCode body, boolean suspended, boolean hideFromDebugger) {
        enter();
        long start = thread.process().startAddressFor(body);
        NtResult<EThread> created = kernel().processes().createThread(process(), start, body, suspended, hideFromDebugger);
        return created.isSuccess() ? created.value() : null;
    }

    @Override
    public int suspendThread(EThread target) {
        enter();
        NtResult<Integer> previous = kernel().processes().suspendThread(target);
        if (target == thread()) {
            enter(); // suspending oneself takes effect at once
        }
        return previous.isSuccess() ? previous.value() : -1;
    }

    @Override
    public int resumeThread(EThread target) {
        enter();
        return kernel().processes().resumeThread(target);
    }

    @Override
    public void waitForThread(EThread target) {
        enter();
        target.terminated().whenComplete((v, e) -> thread.mailbox().wake());
        thread.awaitCondition(target::hasExited, SimThreadState.WAITING);
    }

    @Override
    public void exitThread(int exitCode) {
        enter();
        throw new GuestUnwind.ExitThread(exitCode);
    }

    @Override
    public void exitProcess(int exitCode) {
        enter();
        kernel().processes().terminateProcess(process(), exitCode);
        enter();
        throw new GuestUnwind.Termination();
    }

    @Override
    public NtResult<ProcessManager.CreatedProcess> createProcess(SimProgram program, boolean suspended) {
        enter();
        return kernel().processes().createProcess(thread(),
                new ProcessManager.CreateProcessRequest(program, program.traits(), Handle.NULL, false, suspended));
    }

    // ---- modules ----

    @Override
    public long loadLibrary(String name) {
        enter();
        return loader.loadLibrary(name);
    }

    @Override
    public boolean freeLibrary(long base) {
        enter();
        return loader.freeLibrary(base);
    }

    @Override
    public long mapImageSection(String path) {
        return mapImageSection(path, process().image().machine());
    }

    @Override
    public long mapImageSection(String path, int machine) {
        enter();
        return loader.mapImageSection(path, machine);
    }

    @Override
    public boolean unmapViewOfSection(long base) {
        enter();
        return loader.unmapView(base);
    }

    @Override
    public void setSuppressDebugMessages(boolean suppress) {
        enter();
        Teb teb = thread().teb();
        int flags = teb.sameTebFlags();
        teb.setSameTebFlags(suppress ? flags | Teb.SUPPRESS_DEBUG_MSG : flags & ~Teb.SUPPRESS_DEBUG_MSG);
    }

    // ---- exceptions ----

    @Override
    public Outcome raiseException(int code, int flags, long[] params, GuestHandler handler) {
        enter();
        return thread.exceptions().raise(code, flags, params, handler);
    }

    @Override
    public boolean tryExcept(GuestCode body, GuestHandler filter) {
        enter();
        return thread.exceptions().tryExcept(body, filter, this);
    }

    @Override
    public void addVectoredHandler(GuestHandler handler) {
        enter();
        thread.process().vectoredHandlers().add(handler);
    }

    @Override
    public boolean removeVectoredHandler(GuestHandler handler) {
        enter();
        return thread.process().vectoredHandlers().remove(handler);
    }

    @Override
    public void outputDebugStringA(String text) {
        enter();
        byte[] ansi = ansiz(text);
        long buffer = copyToGuest(ansi);
        try {
            thread.exceptions().raise(NtStatus.DBG_PRINTEXCEPTION_C.value(), 0, new long[] {ansi.length, buffer},
                    GuestHandler.EXECUTE_HANDLER);
        } finally {
            thread.process().free(buffer);
        }
    }

    @Override
    public void outputDebugStringW(String text) {
        enter();
        byte[] wide = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        byte[] ansi = ansiz(text);
        long wideBuffer = copyToGuest(wide);
        long ansiBuffer = copyToGuest(ansi);
        boolean[] reachedOwnHandler = {false};
        try {
            thread.exceptions().raise(NtStatus.DBG_PRINTEXCEPTION_WIDE_C.value(), 0,
                    new long[] {text.length() + 1, wideBuffer, ansi.length, ansiBuffer},
                    p -> {
                        reachedOwnHandler[0] = true;
                        return ExceptionDisposition.EXECUTE_HANDLER;
                    });
        } finally {
            thread.process().free(wideBuffer);
            thread.process().free(ansiBuffer);
        }
        if (reachedOwnHandler[0]) {
            outputDebugStringA(text);
        }
    }

    @Override
    public void ripEvent(int error, int type) {
        enter();
        thread.exceptions().raise(NtStatus.DBG_RIPEXCEPTION.value(), 0, new long[] {error & 0xFFFF_FFFFL, type & 0xFFFF_FFFFL},
                GuestHandler.EXECUTE_HANDLER);
    }

    @Override
    public void fastFail(int code) {
        enter();
        long at = thread.process().raiseReturnAddress();
        thread.exceptions().fastFail(code & 0xFFFF_FFFFL, at, thread.context().withRip(at));
    }

    // ---- handles ----

    @Override
    public boolean closeHandle(Handle handle) {
        enter();
        NtStatus status = kernel().services().close(thread(), ProcessorMode.USER, handle);
        if (status.isSuccess()) {
            return true;
        }
        if (NtStatus.STATUS_INVALID_HANDLE.equals(status) && !handle.isNull() && process().debugPort() != null) {
            // ObpCloseHandle: KeRaiseUserException(STATUS_INVALID_HANDLE) for a debugged process.
            thread.exceptions().raise(NtStatus.STATUS_INVALID_HANDLE.value(), 0, null, null);
        }
        thread().teb().setLastErrorValue(Win32Error.fromNtStatus(status));
        return false;
    }

    @Override
    public int getLastError() {
        enter();
        return thread().teb().lastErrorValue();
    }

    private static byte[] ansiz(String text) {
        return (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Puts bytes in a fresh read-write allocation (the caller frees it). */
    private long copyToGuest(byte[] bytes) {
        long buffer = thread.process().allocate(bytes.length, PageProtection.PAGE_READWRITE);
        if (buffer == 0) {
            throw new IllegalStateException("guest allocation region exhausted");
        }
        thread.process().memory().write(buffer, bytes, 0, bytes.length);
        return buffer;
    }

    // ---- memory and code ----

    @Override
    public long allocate(int size, int protection) {
        enter();
        return thread.process().allocate(size, protection);
    }

    @Override
    public boolean free(long base) {
        enter();
        return thread.process().free(base);
    }

    @Override
    public boolean protect(long address, int size, int protection) {
        enter();
        return PageProtection.isValid(protection) && thread.process().memory().protect(address, size, protection);
    }

    @Override
    public void write(long address, byte[] data) {
        enter();
        byte[] copy = data.clone();
        MemoryFault fault;
        while ((fault = thread.process().memory().guestWrite(address, copy)) != null) {
            thread.exceptions().accessViolation(fault, thread.process().guestCodeAddress());
            enter();
        }
        dataBreakpoints(address, copy.length, true);
    }

    @Override
    public byte[] read(long address, int length) {
        enter();
        byte[] buffer = new byte[length];
        MemoryFault fault;
        while ((fault = thread.process().memory().guestRead(address, buffer)) != null) {
            thread.exceptions().accessViolation(fault, thread.process().guestCodeAddress());
            enter();
        }
        dataBreakpoints(address, length, false);
        return buffer;
    }

    /**
     * After a completed guest access: the data breakpoints it fires (DR0-DR3/DR7 of this thread's context) raise
     * STATUS_SINGLE_STEP as a trap at the guest code's address, as the access faults are raised.
     */
    private void dataBreakpoints(long address, int length, boolean write) {
        Amd64Context context = thread.context();
        int slots = HardwareBreakpoints.dataHits(context, address, length, write);
        if (slots != 0) {
            long at = thread.process().guestCodeAddress();
            thread.exceptions().debugRegisterHit(slots, at, context.withRip(at));
        }
    }

    @Override
    public long execute(long address, int maxInstructions) {
        enter();
        return interpreter.execute(address, maxInstructions);
    }

    @Override
    public Amd64Context context() {
        enter();
        return thread.context();
    }

    @Override
    public void setContext(Amd64Context context) {
        enter();
        thread.setContext(context);
    }

    // ---- debugger checks ----

    @Override
    public boolean isDebuggerPresent() {
        enter();
        Peb peb = thread.process().programPeb();
        return peb != null && peb.beingDebugged();
    }

    @Override
    public void setBeingDebugged(boolean value) {
        enter();
        Peb peb = thread.process().programPeb();
        if (peb != null) {
            peb.setBeingDebugged(value);
        }
    }

    @Override
    public NtStatus queryInformationProcess(Handle process, int infoClass, UserPointer<Long> buffer, int length, UserPointer<Integer> returnLength) {
        enter();
        return kernel().processInformation().query(thread(), ProcessorMode.USER, process, infoClass, buffer, length, returnLength);
    }

    // ---- plumbing ----

    @Override
    public void point(String name) {
        enter();
        platform.stopPoints().reach(thread, name, true);
        enter();
    }

    @Override
    public void waitFor(String signal) {
        enter();
        platform.signals().guestWait(thread, signal);
    }

    @Override
    public void signal(String signal) {
        enter();
        platform.signals().signal(signal);
    }

    @Override
    public <T> T await(CompletionStage<T> stage) {
        enter();
        return thread.await(stage);
    }
}
