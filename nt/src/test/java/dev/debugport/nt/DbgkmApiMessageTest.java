package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DbgkmApiMessageTest {

    private static final DbgkmCreateProcess CREATE_PROCESS = new DbgkmCreateProcess(0, Handle.of(0x44),
            0x7ff600000000L, 0, 0, DbgkmCreateThread.of(0x7ff600001000L));

    @Test
    void ofTakesApiNumberFromPayloadAndStartsPending() {
        DbgkmApiMessage m = DbgkmApiMessage.of(new DbgkmExitThread(3));
        assertEquals(DbgkmApiNumber.EXIT_THREAD, m.apiNumber());
        assertEquals(NtStatus.STATUS_PENDING, m.returnedStatus());
    }

    @Test
    void mismatchedApiNumberIsRejected() {
        DbgkmPayload exit = new DbgkmExitProcess(0);
        assertThrows(IllegalArgumentException.class,
                () -> new DbgkmApiMessage(DbgkmApiNumber.EXIT_THREAD, NtStatus.STATUS_PENDING, exit));
        DbgkmApiMessage m = DbgkmApiMessage.of(exit);
        assertThrows(IllegalArgumentException.class, () -> m.withPayload(new DbgkmUnloadDll(0x1000)));
        assertThrows(NullPointerException.class, () -> m.withReturnedStatus(null));
    }

    @Test
    void withReturnedStatusAndPayload() {
        DbgkmApiMessage m = DbgkmApiMessage.of(CREATE_PROCESS).withReturnedStatus(NtStatus.DBG_CONTINUE);
        assertEquals(NtStatus.DBG_CONTINUE, m.returnedStatus());
        DbgkmApiMessage cleared = m.withPayload(m.payload().withoutFileHandle());
        assertEquals(Handle.NULL, cleared.payload().fileHandle());
        assertEquals(Handle.of(0x44), m.payload().fileHandle());
        assertEquals(NtStatus.DBG_CONTINUE, cleared.returnedStatus());
    }

    @Test
    void apiNumbersOfEveryPayload() {
        ExceptionRecord bp = ExceptionRecord.of(0x80000003, 0x1000);
        assertEquals(DbgkmApiNumber.EXCEPTION, new DbgkmException(bp, true).apiNumber());
        assertEquals(DbgkmApiNumber.CREATE_THREAD, DbgkmCreateThread.of(0).apiNumber());
        assertEquals(DbgkmApiNumber.CREATE_PROCESS, CREATE_PROCESS.apiNumber());
        assertEquals(DbgkmApiNumber.EXIT_THREAD, new DbgkmExitThread(0).apiNumber());
        assertEquals(DbgkmApiNumber.EXIT_PROCESS, new DbgkmExitProcess(0).apiNumber());
        assertEquals(DbgkmApiNumber.LOAD_DLL, new DbgkmLoadDll(Handle.NULL, 0, 0, 0, 0).apiNumber());
        assertEquals(DbgkmApiNumber.UNLOAD_DLL, new DbgkmUnloadDll(0).apiNumber());
        assertEquals(5, DbgkmApiNumber.LOAD_DLL.value());
        assertEquals(7, DbgkmApiNumber.ERROR_REPORT.value());
    }

    @Test
    void fileHandleOnlyOnCreateProcessAndLoadDll() {
        DbgkmLoadDll load = new DbgkmLoadDll(Handle.of(0x88), 0x7ffb0000L, 0, 0, 0x2000);
        assertEquals(Handle.of(0x88), load.fileHandle());
        assertEquals(Handle.NULL, load.withoutFileHandle().fileHandle());
        assertEquals(load.baseOfDll(), load.withoutFileHandle().baseOfDll());
        assertEquals(Handle.of(0x99), load.withFileHandle(Handle.of(0x99)).fileHandle());
        DbgkmPayload exit = new DbgkmExitThread(1);
        assertEquals(Handle.NULL, exit.fileHandle());
        assertSame(exit, exit.withoutFileHandle());
    }
}
