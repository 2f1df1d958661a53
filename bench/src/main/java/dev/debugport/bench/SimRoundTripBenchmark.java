package dev.debugport.bench;

import dev.debugport.dbgk.Dbgk;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.ExceptionDisposition;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.Kernel32;
import dev.debugport.win32.ProcessInformation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Debug-event round trips per second on the simulated platform: guests raise an exception in a loop; one debugger
 * thread takes each event with WaitForDebugEvent and answers ContinueDebugEvent(DBG_CONTINUE); the guest resumes and
 * raises the next. One operation is one round trip. {@code processes} guests share one debug object.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SimRoundTripBenchmark {
    /** The exception code the guests raise (a software exception their handler would also accept). */
    private static final int BENCH_EXCEPTION = 0xE0000B0B;

    @Param({"1", "8", "64"})
    public int processes;

    private SimMachine machine;
    private Kernel32 debugger;
    private EThread debuggerThread;
    private final UserPointer<DebugEvent> slot = UserPointer.empty();
    private volatile boolean stopping;

    @Setup(Level.Trial)
    public void start() {
        machine = SimMachine.create();
        Dbgk dbgk = Dbgk.initialize(machine.kernel());
        debuggerThread = machine.createHostThread("bench-debugger.exe");
        debugger = new Kernel32(dbgk, debuggerThread);
        SimProgram raiser = SimProgram.of("raiser", g -> {
            long[] none = new long[0];
            while (!stopping) {
                g.raiseException(BENCH_EXCEPTION, 0, none, p -> ExceptionDisposition.CONTINUE_EXECUTION);
            }
        });
        for (int i = 0; i < processes; i++) {
            UserPointer<ProcessInformation> info = UserPointer.empty();
            if (!debugger.createProcess(raiser, DebugCreationFlags.DEBUG_PROCESS, info)) {
                throw new IllegalStateException("CreateProcess failed: " + debugger.getLastError());
            }
            debugger.closeHandle(info.get().process());
            debugger.closeHandle(info.get().thread());
        }
    }

    /** One round trip: take the next event, continue it. Start-up events count too; they are a few per process. */
    @Benchmark
    public int roundTrip() {
        if (!debugger.waitForDebugEvent(slot, 10_000)) {
            throw new IllegalStateException("no event: error " + debugger.getLastError());
        }
        DebugEvent e = slot.get();
        if (e.code() == DebugEventCode.CREATE_PROCESS_DEBUG_EVENT || e.code() == DebugEventCode.LOAD_DLL_DEBUG_EVENT) {
            closeFile(e);
        }
        debugger.continueDebugEvent(e.processId(), e.threadId(), NtStatus.DBG_CONTINUE);
        return e.threadId();
    }

    private void closeFile(DebugEvent e) {
        switch (e.info()) {
            case dev.debugport.nt.DebugEventInfo.CreateProcessDebugInfo cp -> debugger.closeHandle(cp.file());
            case dev.debugport.nt.DebugEventInfo.LoadDllDebugInfo ld -> debugger.closeHandle(ld.file());
            default -> { }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        stopping = true;
        machine.exitHostThread(debuggerThread, 0);
        machine.terminateAllGuests(0, java.time.Duration.ofSeconds(10));
    }
}
