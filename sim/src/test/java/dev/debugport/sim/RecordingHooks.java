package dev.debugport.sim;

import dev.debugport.kernel.DebuggerHooks;
import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ob.NtObject;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for Dbgk in the sim's own tests: records every call the kernel and the sim make, and lets a test decide
 * how exceptions are answered (a "debugger" that handles, declines, or holds an event while it edits the thread).
 */
final class RecordingHooks implements DebuggerHooks {
    record MapCall(EProcess target, EThread mapper, ImageInfo image, boolean userMode, long nameSlotValue, String nameAtSlot, int sameTebFlags) {
    }

    record ExceptionCall(EThread thread, ExceptionRecord record, boolean toDebugPort, boolean secondChance, Amd64Context context) {
    }

    final List<String> log = new CopyOnWriteArrayList<>();
    final List<MapCall> maps = new CopyOnWriteArrayList<>();
    final List<Long> unmaps = new CopyOnWriteArrayList<>();
    final List<ExceptionCall> exceptions = new CopyOnWriteArrayList<>();
    final List<EThread> createdThreads = new CopyOnWriteArrayList<>();
    volatile boolean markChildrenDebugged;
    /** How the "debugger" answers exceptions sent to the debug port (the exception port always declines). */
    volatile Function<ExceptionCall, CompletionStage<Boolean>> onDebugPortException = c -> CompletableFuture.completedFuture(false);

    @Override
    public CompletionStage<Void> createThread(EThread thread) {
        createdThreads.add(thread);
        log.add("create " + thread.tid());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> exitThread(EThread thread, int exitStatus) {
        log.add("exitThread " + thread.tid() + " " + Integer.toHexString(exitStatus));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> exitProcess(EThread lastThread, int exitStatus) {
        log.add("exitProcess " + lastThread.tid() + " " + Integer.toHexString(exitStatus));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> mapViewOfSection(EProcess target, EThread mapper, ImageInfo image, boolean userMode) {
        long slot = MemoryAccess.readLong(target.memory(), mapper.teb().arbitraryUserPointerAddress()).orElse(-1);
        String name = slot > 0 ? MemoryAccess.readUtf16z(target.memory(), slot, 260) : null;
        maps.add(new MapCall(target, mapper, image, userMode, slot, name, mapper.teb().sameTebFlags()));
        log.add("map " + image.baseName());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unmapViewOfSection(EProcess target, EThread mapper, long base, boolean userMode) {
        unmaps.add(base);
        log.add("unmap " + Long.toHexString(base));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> forwardException(EThread thread, ExceptionRecord record, boolean toDebugPort, boolean secondChance) {
        SimThread st = SimPlatform.simThread(thread);
        ExceptionCall call = new ExceptionCall(thread, record, toDebugPort, secondChance, st == null ? null : st.context());
        exceptions.add(call);
        log.add((toDebugPort ? "exception " : "exceptionPort ") + Integer.toHexString(record.code()) + (secondChance ? " second" : " first"));
        return toDebugPort ? onDebugPortException.apply(call) : CompletableFuture.completedFuture(false);
    }

    @Override
    public NtStatus copyProcessDebugPort(EThread creator, EProcess child, EProcess parent, Handle debugObject, boolean noDebugInherit) {
        if (markChildrenDebugged) {
            child.peb().setBeingDebugged(true);
            if (child.peb32() != null) {
                child.peb32().setBeingDebugged(true);
            }
        }
        return NtStatus.STATUS_SUCCESS;
    }

    @Override
    public boolean isDebugObject(NtObject object) {
        return false;
    }

    /** Exception calls to the debug port with the given code. */
    List<ExceptionCall> debugPortExceptions(int code) {
        return exceptions.stream().filter(c -> c.toDebugPort() && c.record().code() == code).toList();
    }
}
