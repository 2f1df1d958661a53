package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NtStatusTest {

    @Test
    void ofReturnsCanonicalConstantForKnownValues() {
        assertSame(NtStatus.STATUS_ACCESS_DENIED, NtStatus.of(0xC0000022));
        assertSame(NtStatus.DBG_CONTINUE, NtStatus.of(0x00010002));
        assertSame(NtStatus.STATUS_PORT_NOT_SET, NtStatus.of(0xC0000353));
        assertSame(NtStatus.STATUS_DEBUGGER_INACTIVE, NtStatus.of(0xC0000354));
        assertSame(NtStatus.DBG_PRINTEXCEPTION_WIDE_C, NtStatus.of(0x4001000A));
    }

    @Test
    void ofUnknownValueIsEqualButNotCanonical() {
        NtStatus unknown = NtStatus.of(0xDEADBEEF);
        assertEquals(new NtStatus(0xDEADBEEF), unknown);
        assertNotSame(unknown, NtStatus.of(0xDEADBEEF));
        assertNull(unknown.symbolicName());
    }

    @Test
    void valuesMatchTheSpecTables() {
        assertEquals(0x00000103, NtStatus.STATUS_PENDING.value());
        assertEquals(0x80000003, NtStatus.STATUS_BREAKPOINT.value());
        assertEquals(0xC0000048, NtStatus.STATUS_PORT_ALREADY_SET.value());
        assertEquals(0xC0000712, NtStatus.STATUS_PROCESS_IS_PROTECTED.value());
        assertEquals(0x40010001, NtStatus.DBG_REPLY_LATER.value());
        assertEquals(0x80010001, NtStatus.DBG_EXCEPTION_NOT_HANDLED.value());
    }

    @Test
    void successFollowsTheSignBit() {
        assertTrue(NtStatus.STATUS_SUCCESS.isSuccess());
        assertTrue(NtStatus.STATUS_TIMEOUT.isSuccess());
        assertTrue(NtStatus.DBG_CONTINUE.isSuccess());
        assertTrue(NtStatus.DBG_TERMINATE_PROCESS.isSuccess());
        assertFalse(NtStatus.STATUS_BREAKPOINT.isSuccess());
        assertFalse(NtStatus.STATUS_ACCESS_DENIED.isSuccess());
    }

    @Test
    void dbgExceptionNotHandledIsAWarningNotAnError() {
        NtStatus s = NtStatus.DBG_EXCEPTION_NOT_HANDLED;
        assertFalse(s.isSuccess());
        assertFalse(s.isError());
        assertTrue(s.isWarning());
        assertEquals(2, s.severity());
    }

    @Test
    void severityClasses() {
        assertEquals(0, NtStatus.STATUS_PENDING.severity());
        assertTrue(NtStatus.DBG_PRINTEXCEPTION_C.isInformational());
        assertTrue(NtStatus.STATUS_INVALID_PARAMETER.isError());
        assertFalse(NtStatus.STATUS_SINGLE_STEP.isError());
    }

    @Test
    void namesHexAndToString() {
        assertEquals("STATUS_ACCESS_DENIED", NtStatus.STATUS_ACCESS_DENIED.symbolicName());
        assertEquals("0xC0000022", NtStatus.STATUS_ACCESS_DENIED.hex());
        assertEquals("STATUS_ACCESS_DENIED (0xC0000022)", NtStatus.STATUS_ACCESS_DENIED.toString());
        assertEquals("0x00000000", NtStatus.STATUS_SUCCESS.hex());
        assertEquals("0x0BADF00D", NtStatus.of(0x0BADF00D).toString());
        assertEquals("DBG_EXCEPTION_NOT_HANDLED (0x80010001)", NtStatus.of(0x80010001).toString());
        assertEquals("STATUS_ABANDONED", NtStatus.of(0x80).symbolicName());
    }
}
