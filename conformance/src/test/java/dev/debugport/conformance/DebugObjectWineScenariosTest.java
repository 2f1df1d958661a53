package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.dbgk.DebugObject;
import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.kernel.ob.HandleEntry;
import dev.debugport.kernel.ob.ObjectType;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.ClientId;
import dev.debugport.nt.DbgState;
import dev.debugport.nt.DbgkmCreateProcess;
import dev.debugport.nt.DbgkmCreateThread;
import dev.debugport.nt.DbgkmExitProcess;
import dev.debugport.nt.DbgkmLoadDll;
import dev.debugport.nt.DbguiWaitStateChange;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import dev.debugport.nt.NtStatus;
import dev.debugport.nt.WaitStateInfo;
import dev.debugport.sim.SimProgram;
import dev.debugport.win32.DbgUi;
import dev.debugport.win32.ProcessInformation;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * spec/wine-model-and-scenarios.md Part 2, section A (scenarios 1–17): debug object creation, set-information,
 * access rights, the object type, custom access at creation, and DbgUiConvertStateChangeStructure.
 */
class DebugObjectWineScenariosTest extends AttachTestSupport {

    private NtStatus setInfo(Handle h, int infoClass, int value, int length, UserPointer<Integer> returnLength) {
        return f.dbgk.objects().setInformationDebugObject(f.debuggerThread, ProcessorMode.USER, h, infoClass, UserPointer.of(value),
                length, returnLength);
    }

    private Handle anyObject() {
        return createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0);
    }

    // ---- creation and set-information (scenarios 1–10) ----

    @Test
    void p2_1_createWithDebugAllAccessSucceeds() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, 0));
        assertFalse(h.get().isNull());
        HandleEntry e = f.kernel.services().lookupHandle(f.debuggerThread, h.get());
        assertTrue(f.dbgk.isDebugObject(e.object()));
        assertEquals(AccessMask.DEBUG_OBJECT_ALL_ACCESS, e.grantedAccess());
        assertEquals(0, ((DebugObject) e.object()).flags() & DebugObject.KILL_ON_CLOSE);
    }

    @Test
    void p2_2_createWithFlagsFFFEIsInvalid() {
        UserPointer<Handle> h = UserPointer.of(Handle.of(0x1234));
        int before = f.debuggerHandleCount();
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, h,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, 0xFFFE));
        assertEquals(before, f.debuggerHandleCount());
    }

    @Test
    void p2_3_setInformationClassZeroIsInvalid() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setInfo(anyObject(), 0, 0, 4, len));
    }

    @Test
    void p2_4_setInformationClassTwoIsInvalid() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setInfo(anyObject(), 2, 0, 4, len));
    }

    @Test
    void p2_5_setInformationOnABogusHandle() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INVALID_HANDLE, setInfo(Handle.of(0xdead), InformationClass.DebugObjectKillProcessOnExitInformation, 0, 4, len));
    }

    @Test
    void p2_6_setInformationLengthFive() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, setInfo(anyObject(), InformationClass.DebugObjectKillProcessOnExitInformation, 0, 5, len));
        assertEquals(4, len.get());
    }

    @Test
    void p2_7_setInformationLengthThree() {
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_INFO_LENGTH_MISMATCH, setInfo(anyObject(), InformationClass.DebugObjectKillProcessOnExitInformation, 0, 3, len));
        assertEquals(4, len.get());
    }

    @Test
    void p2_8_setInformationValueZeroReturnsLengthZero() {
        Handle h = createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 1);
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_SUCCESS, setInfo(h, InformationClass.DebugObjectKillProcessOnExitInformation, 0, 4, len));
        assertEquals(0, len.get(), "Windows writes 0 (ReactOS 4)");
        assertEquals(0, object(h).flags() & DebugObject.KILL_ON_CLOSE);
    }

    @Test
    void p2_9_setInformationKillOnCloseReturnsLengthZero() {
        Handle h = anyObject();
        UserPointer<Integer> len = UserPointer.of(0x77);
        assertEquals(NtStatus.STATUS_SUCCESS, setInfo(h, InformationClass.DebugObjectKillProcessOnExitInformation, 1, 4, len));
        assertEquals(0, len.get());
        assertEquals(DebugObject.KILL_ON_CLOSE, object(h).flags() & DebugObject.KILL_ON_CLOSE);
    }

    @Test
    void p2_10_everyOtherSingleBitIsInvalid() {
        Handle h = anyObject();
        for (int bit = 2; bit != 0; bit <<= 1) {
            UserPointer<Integer> len = UserPointer.of(0x77);
            int value = bit;
            assertEquals(NtStatus.STATUS_INVALID_PARAMETER, setInfo(h, InformationClass.DebugObjectKillProcessOnExitInformation, value, 4, len),
                    () -> "value 0x" + Integer.toHexString(value));
            assertEquals(0, object(h).flags() & DebugObject.KILL_ON_CLOSE);
        }
    }

    // ---- rights and the type (scenarios 11–13) ----

    /** A second handle to the same object with only {@code access}, as DuplicateHandle would give. */
    private Handle restricted(Handle full, int access) {
        return f.kernel.objectManager().openByPointer(f.debuggerProcess.handleTable(), object(full), access);
    }

    @Test
    void p2_11_eachServiceNeedsItsRight() {
        int all = AccessMask.DEBUG_OBJECT_ALL_ACCESS;
        Handle full = connect();
        // Set-information needs DEBUG_SET_INFORMATION (0x4), not the wait right.
        Handle noSet = restricted(full, all & ~AccessMask.DEBUG_OBJECT_SET_INFORMATION);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, setInfo(noSet, InformationClass.DebugObjectKillProcessOnExitInformation, 0, 4, null));
        assertEquals(NtStatus.STATUS_SUCCESS, setInfo(restricted(full, AccessMask.DEBUG_OBJECT_SET_INFORMATION),
                InformationClass.DebugObjectKillProcessOnExitInformation, 0, 4, null));

        // Attach needs DEBUG_PROCESS_ASSIGN (0x2).
        EProcess target = startIdle(0);
        Handle process = openProcess(target, AccessMask.PROCESS_ALL_ACCESS);
        Handle noAssign = restricted(full, all & ~AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, ntAttach(process, noAssign));
        assertEquals(null, target.debugPort());
        assertEquals(NtStatus.STATUS_SUCCESS, ntAttach(process, restricted(full, AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS)));

        // Wait needs DEBUG_READ_EVENT (0x1); the output stays untouched.
        Handle noRead = restricted(full, all & ~AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE);
        UserPointer<DbguiWaitStateChange> sc = UserPointer.of(DbguiWaitStateChange.ZERO);
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.waits().waitForDebugEvent(f.debuggerThread, ProcessorMode.USER, noRead, false,
                -10_000_000L, sc));
        assertFalse(sc.written());
        DebugEvent cp = next(f.k32, DebugEventCode.CREATE_PROCESS_DEBUG_EVENT);

        // Continue needs DEBUG_READ_EVENT too; the event stays outstanding and a proper continue works.
        ClientId cid = new ClientId(cp.processId(), cp.threadId());
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER, noRead, cid,
                NtStatus.DBG_CONTINUE));
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.waits().debugContinue(f.debuggerThread, ProcessorMode.USER,
                restricted(full, AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE), cid, NtStatus.DBG_CONTINUE));
        drain(f.k32, 200);

        // Detach needs DEBUG_PROCESS_ASSIGN.
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, process, noAssign));
        assertSame(object(full), target.debugPort());
        assertEquals(NtStatus.STATUS_SUCCESS, f.dbgk.detach().removeProcessDebug(f.debuggerThread, ProcessorMode.USER, process,
                restricted(full, AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS)));
        assertEquals(null, target.debugPort());
    }

    @Test
    void p2_12_theDebugObjectType() {
        ObjectType type = f.dbgk.debugObjectType();
        assertEquals("DebugObject", type.name());
        assertEquals(0x00020001, type.genericMapping().read());
        assertEquals(0x00020002, type.genericMapping().write());
        assertEquals(0x00120000, type.genericMapping().execute());
        assertEquals(0x001F000F, type.genericMapping().all());
        assertEquals(0x001F000F, type.validAccessMask());
        // The mapping is what handles get: GENERIC_READ gives the wait right, GENERIC_WRITE the assign right.
        assertEquals(0x00020001, f.kernel.services().lookupHandle(f.debuggerThread, createObject(AccessMask.GENERIC_READ, 0)).grantedAccess());
        assertEquals(0x00020002, f.kernel.services().lookupHandle(f.debuggerThread, createObject(AccessMask.GENERIC_WRITE, 0)).grantedAccess());
        assertEquals(0x00120000, f.kernel.services().lookupHandle(f.debuggerThread, createObject(AccessMask.GENERIC_EXECUTE, 0)).grantedAccess());
        assertEquals(0x001F000F, f.kernel.services().lookupHandle(f.debuggerThread, createObject(AccessMask.GENERIC_ALL, 0)).grantedAccess());
        assertSame(type, object(createObject(AccessMask.DEBUG_OBJECT_ALL_ACCESS, 0)).type());
    }

    /**
     * Scenario 13 with the object created with {@code access} and made the thread's debug object: CreateProcess
     * (DEBUG_PROCESS) and a full wait/continue loop work, and inside the debuggee ProcessDebugPort is ~0,
     * ProcessDebugFlags succeeds and ProcessDebugObjectHandle opens a handle. (The machine models no security
     * descriptors, so the scenario's DACL on the object has nothing to act on; the creator's rights come from the
     * access asked for at creation.)
     */
    private void fullLoopWithObjectCreatedWith(int access) {
        Handle object = createObject(access, 0);
        f.k32.dbgUi().setThreadDebugObject(object);
        AtomicLong port = new AtomicLong(0);
        AtomicReference<NtStatus> flagsStatus = new AtomicReference<>();
        AtomicReference<NtStatus> handleStatus = new AtomicReference<>();
        AtomicLong handle = new AtomicLong(0);
        AtomicReference<Object> handleObject = new AtomicReference<>();
        SimProgram inside = SimProgram.of("inside", g -> {
            UserPointer<Long> value = UserPointer.of(0L);
            g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugPort, value, 8, null);
            port.set(value.get());
            UserPointer<Long> flags = UserPointer.of(0L);
            flagsStatus.set(g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugFlags, flags, 4, null));
            UserPointer<Long> h = UserPointer.of(0L);
            handleStatus.set(g.queryInformationProcess(Handle.CURRENT_PROCESS, InformationClass.ProcessDebugObjectHandle, h, 8, null));
            handle.set(h.get());
            HandleEntry e = g.kernel().services().lookupHandle(g.thread(), Handle.of(h.get()));
            handleObject.set(e == null ? null : e.object());
            g.kernel().services().close(g.thread(), ProcessorMode.USER, Handle.of(h.get()));
            g.exitThread(MAIN_EXIT);
        });
        ProcessInformation pi = f.launch(inside, DebugCreationFlags.DEBUG_PROCESS);
        assertEquals(MAIN_EXIT, f.runToExit(pi.processId()));
        assertEquals(-1L, port.get());
        assertEquals(NtStatus.STATUS_SUCCESS, flagsStatus.get());
        assertEquals(NtStatus.STATUS_SUCCESS, handleStatus.get());
        assertNotEquals(0L, handle.get());
        assertSame(object(object), handleObject.get());
    }

    @Test
    void p2_13_objectCreatedWithMaximumAllowed() {
        fullLoopWithObjectCreatedWith(AccessMask.MAXIMUM_ALLOWED);
    }

    @Test
    void p2_13_objectCreatedWithGenericAll() {
        fullLoopWithObjectCreatedWith(AccessMask.GENERIC_ALL);
    }

    @Test
    void p2_13_objectCreatedWithDebugAllAccess() {
        fullLoopWithObjectCreatedWith(AccessMask.DEBUG_OBJECT_ALL_ACCESS);
    }

    // ---- DbgUiConvertStateChangeStructure (scenarios 14–17) ----

    private DbgUi dbgUi() {
        return f.k32.dbgUi();
    }

    @Test
    void p2_14_idleReplyPendingAndUnknownStatesAreRejected() {
        for (int state : new int[] {DbgState.IDLE.value(), DbgState.REPLY_PENDING.value(), 11}) {
            DbguiWaitStateChange sc = new DbguiWaitStateChange(state, new ClientId(0x10, 0x20), WaitStateInfo.NONE);
            UserPointer<DebugEvent> out = UserPointer.empty();
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, dbgUi().convertStateChangeStructure(sc, out), "state " + state);
            assertFalse(out.written(), "output untouched");
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, dbgUi().convertStateChangeStructureEx(sc, out), "state " + state);
            assertFalse(out.written(), "output untouched");
        }
    }

    @Test
    void p2_15_exitProcessIsConverted() {
        DbguiWaitStateChange sc = DbguiWaitStateChange.of(DbgState.EXIT_PROCESS, new ClientId(0x1234, 0x5678),
                new WaitStateInfo.Message(new DbgkmExitProcess(0xC0000005)));
        UserPointer<DebugEvent> out = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, dbgUi().convertStateChangeStructure(sc, out));
        DebugEvent e = out.get();
        assertEquals(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, e.code());
        assertEquals(0x1234, e.processId());
        assertEquals(0x5678, e.threadId());
        assertEquals(0xC0000005, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
    }

    @Test
    void p2_16_createProcessHasNoNameAndNoTebForABadThreadHandle() {
        DbgkmCreateProcess payload = new DbgkmCreateProcess(0, Handle.of(0x44), 0x1_4000_0000L, 0x200, 0x10, DbgkmCreateThread.of(0x1_4000_1000L));
        DbguiWaitStateChange sc = DbguiWaitStateChange.of(DbgState.CREATE_PROCESS, new ClientId(0x1234, 0x5678),
                new WaitStateInfo.CreateProcess(Handle.of(0x48), Handle.of(0xdead), payload));
        UserPointer<DebugEvent> out = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, dbgUi().convertStateChangeStructure(sc, out));
        DebugEventInfo.CreateProcessDebugInfo cp = createProcess(out.get());
        assertEquals(0, cp.imageName());
        assertTrue(cp.unicode());
        assertEquals(0, cp.threadLocalBase(), "the thread handle is invalid");
        assertEquals(Handle.of(0x44), cp.file());
        assertEquals(Handle.of(0x48), cp.process());
        assertEquals(Handle.of(0xdead), cp.thread());
        assertEquals(0x1_4000_0000L, cp.baseOfImage());
        assertEquals(0x1_4000_1000L, cp.startAddress());
        assertEquals(0x1234, out.get().processId());
        assertEquals(0x5678, out.get().threadId());
    }

    @Test
    void p2_17_loadDllNamePointerIsCopiedVerbatim() {
        DbguiWaitStateChange sc = DbguiWaitStateChange.of(DbgState.LOAD_DLL, new ClientId(0x1234, 0x5678),
                new WaitStateInfo.Message(new DbgkmLoadDll(Handle.of(0x50), 0x7FF8_0000_0000L, 0x200, 0x10, 0x7FF5_FFEF_E028L)));
        UserPointer<DebugEvent> out = UserPointer.empty();
        assertEquals(NtStatus.STATUS_SUCCESS, dbgUi().convertStateChangeStructure(sc, out));
        DebugEventInfo.LoadDllDebugInfo ld = loadDll(out.get());
        assertEquals(0x7FF5_FFEF_E028L, ld.imageName());
        assertTrue(ld.unicode());
        assertEquals(0x7FF8_0000_0000L, ld.baseOfDll());
        assertEquals(Handle.of(0x50), ld.file());
    }
}
