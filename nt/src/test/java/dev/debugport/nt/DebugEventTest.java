package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebugEventTest {

    @Test
    void codeMustMatchInfo() {
        DebugEventInfo exit = new DebugEventInfo.ExitThreadDebugInfo(0);
        assertThrows(IllegalArgumentException.class,
                () -> new DebugEvent(DebugEventCode.EXIT_PROCESS_DEBUG_EVENT, 1, 2, exit));
        DebugEvent ok = new DebugEvent(DebugEventCode.EXIT_THREAD_DEBUG_EVENT, 1, 2, exit);
        assertEquals(exit, ok.info());
    }

    @Test
    void ofDerivesTheCode() {
        DebugEvent e = DebugEvent.of(0x10, 0x14, new DebugEventInfo.RipInfo(0x11223344, 0x55667788));
        assertEquals(DebugEventCode.RIP_EVENT, e.code());
        DebugEvent s = DebugEvent.of(1, 1, new DebugEventInfo.OutputDebugStringInfo(0x5000, false, 6));
        assertEquals(DebugEventCode.OUTPUT_DEBUG_STRING_EVENT, s.code());
    }

    @Test
    void eventCodeValues() {
        assertEquals(1, DebugEventCode.EXCEPTION_DEBUG_EVENT.value());
        assertEquals(9, DebugEventCode.RIP_EVENT.value());
        assertEquals(Optional.of(DebugEventCode.LOAD_DLL_DEBUG_EVENT), DebugEventCode.fromValue(6));
        assertEquals(Optional.empty(), DebugEventCode.fromValue(0));
        assertEquals(Optional.empty(), DebugEventCode.fromValue(10));
    }

    @Test
    void waitStateChangeKeepsInvalidStates() {
        DbguiWaitStateChange bad = new DbguiWaitStateChange(11, new ClientId(4, 8), WaitStateInfo.NONE);
        assertEquals(Optional.empty(), bad.state());
        assertEquals(11, bad.newState());
        assertEquals(Optional.of(DbgState.IDLE), DbguiWaitStateChange.ZERO.state());
        assertEquals(new ClientId(0, 0), DbguiWaitStateChange.ZERO.appClientId());
        DbguiWaitStateChange bp = DbguiWaitStateChange.of(DbgState.BREAKPOINT, new ClientId(4, 8),
                new WaitStateInfo.Message(new DbgkmException(ExceptionRecord.of(0x80000003, 0x1000), true)));
        assertEquals(7, bp.newState());
        assertTrue(bp.state().orElseThrow().isException());
        assertEquals(Optional.of(DbgState.UNLOAD_DLL), DbgState.fromValue(10));
    }

    @Test
    void handlesAndClientIds() {
        assertTrue(Handle.NULL.isNull());
        assertTrue(Handle.CURRENT_PROCESS.isPseudo());
        assertEquals(Handle.CURRENT_THREAD, Handle.of(-2));
        assertEquals("0x4c", Handle.of(0x4c).toString());
        assertEquals("pid 0x10 tid 0x14", new ClientId(0x10, 0x14).toString());
        assertEquals(0x10, new ClientId(0x1_0000_0010L, 0x14).processId32());
    }
}
