package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class Win32ErrorTest {

    @Test
    void statusesNamedByKernel32Section() {
        // spec/dbgk.md §12: DebugActiveProcess on an already-debugged process and on a forbidden one
        assertEquals(87, Win32Error.fromNtStatus(NtStatus.of(0xC0000048)));
        assertEquals(5, Win32Error.fromNtStatus(NtStatus.of(0xC0000022)));
        // bad continue status / no such event
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, Win32Error.fromNtStatus(NtStatus.STATUS_INVALID_PARAMETER));
        // DebugSetProcessKillOnExit without a debug object
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, Win32Error.fromNtStatus(NtStatus.STATUS_INVALID_HANDLE));
    }

    @Test
    void debugStatuses() {
        assertEquals(Win32Error.ERROR_PORT_NOT_SET, Win32Error.fromNtStatus(NtStatus.STATUS_PORT_NOT_SET));
        assertEquals(Win32Error.ERROR_DEBUGGER_INACTIVE, Win32Error.fromNtStatus(NtStatus.STATUS_DEBUGGER_INACTIVE));
        assertEquals(Win32Error.ERROR_PROCESS_IS_PROTECTED,
                Win32Error.fromNtStatus(NtStatus.STATUS_PROCESS_IS_PROTECTED));
        assertEquals(Win32Error.ERROR_NOT_SUPPORTED, Win32Error.fromNtStatus(NtStatus.STATUS_NOT_SUPPORTED));
        assertEquals(Win32Error.ERROR_ACCESS_DENIED, Win32Error.fromNtStatus(NtStatus.STATUS_PROCESS_IS_TERMINATING));
        assertEquals(Win32Error.ERROR_INVALID_HANDLE, Win32Error.fromNtStatus(NtStatus.STATUS_OBJECT_TYPE_MISMATCH));
        assertEquals(Win32Error.ERROR_NOACCESS, Win32Error.fromNtStatus(NtStatus.STATUS_ACCESS_VIOLATION));
        assertEquals(Win32Error.ERROR_NOACCESS, Win32Error.fromNtStatus(NtStatus.STATUS_DATATYPE_MISALIGNMENT));
        assertEquals(Win32Error.ERROR_BAD_LENGTH, Win32Error.fromNtStatus(NtStatus.STATUS_INFO_LENGTH_MISMATCH));
        assertEquals(Win32Error.ERROR_NO_SYSTEM_RESOURCES,
                Win32Error.fromNtStatus(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
        assertEquals(Win32Error.ERROR_GEN_FAILURE, Win32Error.fromNtStatus(NtStatus.STATUS_UNSUCCESSFUL));
    }

    @Test
    void successAndWaitStatuses() {
        assertEquals(Win32Error.ERROR_SUCCESS, Win32Error.fromNtStatus(NtStatus.STATUS_SUCCESS));
        // the raw translation; WaitForDebugEvent itself reports ERROR_SEM_TIMEOUT
        assertEquals(Win32Error.ERROR_TIMEOUT, Win32Error.fromNtStatus(NtStatus.STATUS_TIMEOUT));
        assertEquals(Win32Error.ERROR_IO_PENDING, Win32Error.fromNtStatus(NtStatus.STATUS_PENDING));
        assertEquals(Win32Error.ERROR_USER_APC, Win32Error.fromNtStatus(NtStatus.STATUS_USER_APC));
    }

    @Test
    void exceptionCodesPassThroughUnchanged() {
        assertEquals(0x80000003, Win32Error.fromNtStatus(NtStatus.STATUS_BREAKPOINT));
        assertEquals(0xC0000094, Win32Error.fromNtStatus(NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO));
        assertEquals(Win32Error.ERROR_DBG_EXCEPTION_NOT_HANDLED,
                Win32Error.fromNtStatus(NtStatus.DBG_EXCEPTION_NOT_HANDLED));
    }

    @Test
    void fixedRulesAndUnknownStatuses() {
        assertEquals(Win32Error.ERROR_MR_MID_NOT_FOUND, Win32Error.fromNtStatus(0xC0DEC0DE));
        assertEquals(Win32Error.ERROR_INVALID_PARAMETER, Win32Error.fromNtStatus(0xD000000D));
        assertEquals(0x1234, Win32Error.fromNtStatus(0xC0011234));
        assertEquals(5, Win32Error.fromNtStatus(0x80070005));
        assertEquals(0xE0000001, Win32Error.fromNtStatus(0xE0000001));
    }

    @Test
    void everyNtStatusConstantHasATranslation() throws IllegalAccessException {
        for (var field : NtStatus.class.getFields()) {
            if (field.getType() == NtStatus.class) {
                NtStatus s = (NtStatus) field.get(null);
                if (s.value() != 0) {
                    assertNotMrMid(s);
                }
            }
        }
    }

    private static void assertNotMrMid(NtStatus s) {
        if (Win32Error.fromNtStatus(s) == Win32Error.ERROR_MR_MID_NOT_FOUND) {
            throw new AssertionError("no Win32 translation for " + s);
        }
    }

    @Test
    void names() {
        assertEquals("ERROR_ACCESS_DENIED", Win32Error.name(5));
        assertEquals("ERROR_SEM_TIMEOUT", Win32Error.name(Win32Error.ERROR_SEM_TIMEOUT));
        assertEquals("ERROR_DEBUGGER_INACTIVE", Win32Error.name(1284));
        assertNull(Win32Error.name(424242));
    }
}
