package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionRecordTest {

    @Test
    void ofBuildsAPlainRecord() {
        ExceptionRecord r = ExceptionRecord.of(0x40010006, 0x7ffb1000, 12, 0x5000);
        assertEquals(NtStatus.DBG_PRINTEXCEPTION_C, r.status());
        assertEquals(0, r.flags());
        assertNull(r.nested());
        assertEquals(0x7ffb1000, r.address());
        assertEquals(2, r.numberParameters());
        assertEquals(12, r.info(0));
        assertEquals(0x5000, r.info(1));
    }

    @Test
    void absentParametersReadAsZero() {
        ExceptionRecord r = ExceptionRecord.of(0x80000003, 0x1000);
        assertEquals(0, r.numberParameters());
        assertEquals(0, r.info(0));
        assertEquals(0, r.info(14));
        assertThrows(IndexOutOfBoundsException.class, () -> r.info(15));
        assertThrows(IndexOutOfBoundsException.class, () -> r.info(-1));
    }

    @Test
    void fifteenParametersAllowedSixteenRejected() {
        List<Long> fifteen = new ArrayList<>(Collections.nCopies(15, 7L));
        ExceptionRecord ok = new ExceptionRecord(0xC0000005, 0, null, 0, fifteen);
        assertEquals(15, ok.numberParameters());
        List<Long> sixteen = new ArrayList<>(Collections.nCopies(16, 7L));
        assertThrows(IllegalArgumentException.class, () -> new ExceptionRecord(0xC0000005, 0, null, 0, sixteen));
        assertThrows(IllegalArgumentException.class, () -> ExceptionRecord.of(0, 0, new long[16]));
    }

    @Test
    void informationIsCopiedAndUnmodifiable() {
        List<Long> source = new ArrayList<>(List.of(1L, 2L));
        ExceptionRecord r = new ExceptionRecord(0xC0000005, 0, null, 0, source);
        source.set(0, 99L);
        assertEquals(1, r.info(0));
        assertThrows(UnsupportedOperationException.class, () -> r.information().add(3L));
        assertThrows(NullPointerException.class, () -> new ExceptionRecord(0, 0, null, 0, null));
    }

    @Test
    void withAddressKeepsEverythingElse() {
        ExceptionRecord nested = ExceptionRecord.of(0xC0000005, 0x10, 1, 0);
        ExceptionRecord r = new ExceptionRecord(0xC0000025, ExceptionRecord.EXCEPTION_NONCONTINUABLE, nested, 0x20,
                List.of());
        ExceptionRecord moved = r.withAddress(0x30);
        assertEquals(0x30, moved.address());
        assertSame(nested, moved.nested());
        assertEquals(r.code(), moved.code());
        assertTrue(moved.isNoncontinuable());
        assertEquals(0x20, r.address());
    }
}
