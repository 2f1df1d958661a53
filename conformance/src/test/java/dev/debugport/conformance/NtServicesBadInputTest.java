package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input at the NT layer gets an NTSTATUS, never a Java exception: every Dbgk and Ob/Ps service is called many
 * times with random handles (valid ones of every type, closed ones, pseudo-handles, kernel-handle values, garbage),
 * random access masks, information classes, lengths, statuses and invalid pointers.
 */
class NtServicesBadInputTest {
    private static final long SEED = Long.getLong("debugport.fuzz.seed", System.nanoTime());
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void everyServiceAnswersAStatusForAnyInput() {
        System.out.println("NtServicesBadInputTest seed " + SEED + " (rerun with -Ddebugport.fuzz.seed=" + SEED + ")");
        SplittableRandom random = new SplittableRandom(SEED);
        EThread caller = f.debuggerThread;
        var idle = SimProgram.of("idle", g -> g.waitFor("never"));
        var created = f.machine.createProcess(caller, idle).value();
        List<Handle> handles = new ArrayList<>(List.of(Handle.NULL, Handle.CURRENT_PROCESS, Handle.CURRENT_THREAD, Handle.of(-3),
                Handle.of(0xdead), Handle.of(0x7fffffff), Handle.of(0xFFFFFFFF80000004L), Handle.of(3)));
        handles.add(f.k32.openProcess(AccessMask.PROCESS_ALL_ACCESS, (int) created.process().pid()));
        handles.add(f.k32.openProcess(AccessMask.PROCESS_QUERY_LIMITED_INFORMATION, (int) created.process().pid()));
        handles.add(f.k32.openThread(AccessMask.THREAD_ALL_ACCESS, (int) created.initialThread().tid()));
        UserPointer<Handle> object = UserPointer.of(Handle.NULL);
        f.dbgk.objects().createDebugObject(caller, ProcessorMode.USER, object, AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE, null, 0);
        handles.add(object.get());
        NtStatus[] statuses = {NtStatus.DBG_CONTINUE, NtStatus.DBG_EXCEPTION_NOT_HANDLED, NtStatus.DBG_REPLY_LATER,
                NtStatus.STATUS_SUCCESS, NtStatus.DBG_CONTROL_C, NtStatus.of(0xdeadbeef)};
        for (int i = 0; i < 20_000; i++) {
            Handle h = handles.get(random.nextInt(handles.size()));
            Handle h2 = handles.get(random.nextInt(handles.size()));
            int access = random.nextBoolean() ? random.nextInt() : 1 << random.nextInt(32);
            int infoClass = random.nextInt(-1, 40);
            int length = random.nextInt(-1, 12);
            ProcessorMode mode = random.nextInt(10) == 0 ? ProcessorMode.KERNEL : ProcessorMode.USER;
            UserPointer<Long> buffer = pointer(random, 0L);
            int call = random.nextInt(16);
            Supplier<NtStatus> service = switch (call) {
                case 0 -> () -> f.dbgk.objects().createDebugObject(caller, mode, pointer(random, Handle.NULL), access, null, random.nextInt(4));
                case 1 -> () -> f.dbgk.objects().setInformationDebugObject(caller, mode, h, infoClass, pointer(random, random.nextInt(3)), length, pointer(random, 0));
                case 2 -> () -> f.dbgk.attach().debugActiveProcess(caller, mode, h, h2);
                case 3 -> () -> f.dbgk.detach().removeProcessDebug(caller, mode, h, h2);
                case 4 -> () -> f.dbgk.waits().waitForDebugEvent(caller, mode, h, random.nextBoolean(), 0L, pointer(random, DbguiWaitStateChange.ZERO));
                case 5 -> () -> f.dbgk.waits().debugContinue(caller, mode, h, random.nextBoolean() ? null
                        : new ClientId(random.nextLong(0x1000), random.nextLong(0x1000)), statuses[random.nextInt(statuses.length)]);
                case 6 -> () -> f.kernel.processInformation().query(caller, mode, h, infoClass, buffer, length, pointer(random, 0));
                case 7 -> () -> f.kernel.processInformation().queryThread(caller, mode, h, infoClass, buffer, length, pointer(random, 0));
                case 8 -> () -> f.kernel.processInformation().setDebugFlags(caller, mode, h, random.nextLong(3), length);
                case 9 -> () -> f.kernel.processInformation().hideFromDebugger(caller, mode, h, length);
                case 10 -> () -> f.kernel.services().readVirtualMemory(caller, mode, h, random.nextLong(), new byte[8], random.nextInt(-1, 9), pointer(random, 0L));
                case 11 -> () -> f.kernel.services().getContextThread(caller, mode, h, pointer(random, (Amd64Context) null));
                case 12 -> () -> f.kernel.services().suspendThread(caller, mode, h, pointer(random, 0));
                case 13 -> () -> f.kernel.services().resumeThread(caller, mode, h, pointer(random, 0));
                case 14 -> () -> f.kernel.services().waitForSingleObject(caller, mode, h, random.nextBoolean(), 0L);
                default -> () -> f.kernel.services().openProcess(caller, mode, pointer(random, Handle.NULL), access, random.nextLong(0x400));
            };
            NtStatus status = service.get();
            assertNotNull(status, "call " + call);
        }
        // The handles the debugger holds still work afterwards.
        assertEquals(NtStatus.STATUS_SUCCESS, f.kernel.services().close(caller, ProcessorMode.USER, object.get()));
    }

    private static <T> UserPointer<T> pointer(SplittableRandom random, T initial) {
        return switch (random.nextInt(8)) {
            case 0 -> UserPointer.invalidAddress();
            case 1 -> UserPointer.misaligned();
            default -> UserPointer.of(initial);
        };
    }
}
