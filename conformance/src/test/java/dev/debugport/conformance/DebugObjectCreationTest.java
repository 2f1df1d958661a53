package dev.debugport.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kernel.ProcessorMode;
import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.AccessMask;
import dev.debugport.nt.Handle;
import dev.debugport.nt.NtStatus;
import dev.debugport.win32.Kernel32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** spec/dbgk.md §15 items 1–5: creating debug objects and connecting DbgUi. */
class DebugObjectCreationTest {
    private final SimDebugFixture f = new SimDebugFixture();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private NtStatus create(UserPointer<Handle> out, int flags) {
        return f.dbgk.objects().createDebugObject(f.debuggerThread, ProcessorMode.USER, out, AccessMask.DEBUG_OBJECT_ALL_ACCESS, null, flags);
    }

    @Test
    void s15_1_newObjectIsNotSignalled() {
        UserPointer<Handle> h = UserPointer.of(Handle.NULL);
        assertEquals(NtStatus.STATUS_SUCCESS, create(h, 0));
        assertFalse(h.get().isNull());
        assertEquals(Kernel32.WAIT_TIMEOUT, f.k32.waitForSingleObject(h.get(), 0));
    }

    @Test
    void s15_2_flagsFFFEAreInvalid() {
        assertEquals(NtStatus.STATUS_INVALID_PARAMETER, create(UserPointer.of(Handle.NULL), 0xFFFE));
    }

    @Test
    void s15_3_badFlagsZeroTheOutputHandle() {
        for (int bit = 1; bit != 0; bit <<= 1) {
            UserPointer<Handle> h = UserPointer.of(Handle.of(0x1234));
            int flags = bit == 1 ? 0x3 : bit; // any bit other than DEBUG_KILL_ON_CLOSE
            assertEquals(NtStatus.STATUS_INVALID_PARAMETER, create(h, flags));
            assertEquals(Handle.NULL, h.get(), "Windows writes 0 before checking the flags");
        }
    }

    @Test
    void s15_4_invalidOutputAddressFaultsAndCreatesNothing() {
        int before = f.debuggerHandleCount();
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION, create(UserPointer.invalidAddress(), 0));
        assertEquals(before, f.debuggerHandleCount());
    }

    @Test
    void s15_5_connectTwiceKeepsTheFirstObject() {
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        Handle first = f.k32.dbgUi().getThreadDebugObject();
        assertFalse(first.isNull());
        int handles = f.debuggerHandleCount();
        assertEquals(NtStatus.STATUS_SUCCESS, f.k32.dbgUi().connectToDbg());
        assertEquals(first, f.k32.dbgUi().getThreadDebugObject());
        assertEquals(handles, f.debuggerHandleCount());
        assertNotEquals(Handle.NULL, first);
        assertTrue(f.isOpen(first));
    }
}
