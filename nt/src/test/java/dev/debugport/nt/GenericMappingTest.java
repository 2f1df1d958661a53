package dev.debugport.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenericMappingTest {

    @Test
    void debugObjectGenericReadBecomesReadControlAndWaitStateChange() {
        int mapped = GenericMapping.DEBUG_OBJECT.map(AccessMask.GENERIC_READ);
        assertEquals(AccessMask.READ_CONTROL | AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE, mapped);
    }

    @Test
    void genericAllOfDebugObjectIsAllAccess() {
        assertEquals(AccessMask.DEBUG_OBJECT_ALL_ACCESS, GenericMapping.DEBUG_OBJECT.map(AccessMask.GENERIC_ALL));
    }

    @Test
    void severalGenericBitsAreOredAndSpecificBitsKept() {
        int desired = AccessMask.GENERIC_READ | AccessMask.GENERIC_EXECUTE | AccessMask.PROCESS_TERMINATE;
        int mapped = GenericMapping.PROCESS.map(desired);
        assertEquals(0x20410 | 0x121000 | AccessMask.PROCESS_TERMINATE, mapped);
        assertEquals(0, mapped & AccessMask.GENERIC_MASK);
    }

    @Test
    void maximumAllowedIsLeftAlone() {
        int mapped = GenericMapping.THREAD.map(AccessMask.MAXIMUM_ALLOWED | AccessMask.GENERIC_WRITE);
        assertEquals(AccessMask.MAXIMUM_ALLOWED | 0x20037, mapped);
    }

    @Test
    void noGenericBitsMeansNoChange() {
        assertEquals(AccessMask.EVENT_MODIFY_STATE, GenericMapping.EVENT.map(AccessMask.EVENT_MODIFY_STATE));
        assertEquals(0, GenericMapping.FILE.map(0));
    }

    @Test
    void fileGenericReadSynchronizeMapsToFileGenericRead() {
        assertEquals(0x120089, GenericMapping.FILE.map(AccessMask.FILE_GENERIC_READ_SYNCHRONIZE));
    }

    @Test
    void debuggerHandleMasksAreTheRightsListedInTheSpec() {
        int process = AccessMask.SYNCHRONIZE | AccessMask.READ_CONTROL | AccessMask.PROCESS_TERMINATE
                | AccessMask.PROCESS_CREATE_THREAD | AccessMask.PROCESS_VM_OPERATION | AccessMask.PROCESS_VM_READ
                | AccessMask.PROCESS_VM_WRITE | AccessMask.PROCESS_DUP_HANDLE | AccessMask.PROCESS_SET_INFORMATION
                | AccessMask.PROCESS_QUERY_INFORMATION;
        assertEquals(AccessMask.DEBUGGER_PROCESS_ACCESS, process);
        int thread = AccessMask.SYNCHRONIZE | AccessMask.READ_CONTROL | AccessMask.THREAD_TERMINATE
                | AccessMask.THREAD_SUSPEND_RESUME | AccessMask.THREAD_GET_CONTEXT | AccessMask.THREAD_SET_CONTEXT
                | AccessMask.THREAD_SET_INFORMATION | AccessMask.THREAD_QUERY_INFORMATION;
        assertEquals(AccessMask.DEBUGGER_THREAD_ACCESS, thread);
        assertEquals(AccessMask.STANDARD_RIGHTS_REQUIRED | AccessMask.SYNCHRONIZE | 0xF,
                AccessMask.DEBUG_OBJECT_ALL_ACCESS);
    }

    @Test
    void hasAll() {
        assertTrue(AccessMask.hasAll(AccessMask.DEBUG_OBJECT_ALL_ACCESS, AccessMask.DEBUG_OBJECT_SET_INFORMATION));
        assertFalse(AccessMask.hasAll(AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE,
                AccessMask.DEBUG_OBJECT_WAIT_STATE_CHANGE | AccessMask.DEBUG_OBJECT_ADD_REMOVE_PROCESS));
    }
}
