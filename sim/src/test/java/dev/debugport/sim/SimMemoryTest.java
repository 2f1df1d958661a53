package dev.debugport.sim;

import static dev.debugport.sim.memory.PageProtection.PAGE_EXECUTE;
import static dev.debugport.sim.memory.PageProtection.PAGE_EXECUTE_READ;
import static dev.debugport.sim.memory.PageProtection.PAGE_NOACCESS;
import static dev.debugport.sim.memory.PageProtection.PAGE_READONLY;
import static dev.debugport.sim.memory.PageProtection.PAGE_READWRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.sim.memory.AccessKind;
import dev.debugport.sim.memory.MemoryFault;
import dev.debugport.sim.memory.SimMemory;
import org.junit.jupiter.api.Test;

class SimMemoryTest {
    private final SimMemory memory = new SimMemory();

    @Test
    void mappedPagesReadAsZeroAndHoldWrites() {
        assertTrue(memory.map(0x10000, 0x2000, PAGE_READWRITE));
        byte[] b = new byte[4];
        assertEquals(4, memory.read(0x10FFE, b, 0, 4));
        assertArrayEquals(new byte[4], b);
        assertEquals(4, memory.write(0x10FFE, new byte[] {1, 2, 3, 4}, 0, 4), "a write may span pages");
        assertEquals(4, memory.read(0x10FFE, b, 0, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, b);
    }

    @Test
    void readsAndWritesStopAtTheFirstUnmappedByte() {
        memory.map(0x10000, 0x1000, PAGE_READWRITE);
        byte[] b = new byte[0x20];
        assertEquals(0x10, memory.read(0x10FF0, b, 0, 0x20));
        assertEquals(0x10, memory.write(0x10FF0, new byte[0x20], 0, 0x20));
        assertEquals(0, memory.read(0x20000, b, 0, 4));
        assertEquals(0, memory.read(-8, b, 0, 4), "kernel-range addresses are never mapped");
    }

    @Test
    void debuggerWritesIgnoreReadOnlyAndCodeProtectionButNotNoAccess() {
        memory.map(0x10000, 0x1000, PAGE_READONLY);
        memory.map(0x11000, 0x1000, PAGE_EXECUTE_READ);
        memory.map(0x12000, 0x1000, PAGE_NOACCESS);
        assertEquals(1, memory.write(0x10000, new byte[] {(byte) 0xCC}, 0, 1));
        assertEquals(1, memory.write(0x11000, new byte[] {(byte) 0xCC}, 0, 1));
        assertEquals(0, memory.write(0x12000, new byte[] {1}, 0, 1));
        assertEquals(0x1000 + 0x1000, memory.read(0x10000, new byte[0x3000], 0, 0x3000), "stops at PAGE_NOACCESS");
    }

    @Test
    void guestAccessHonoursProtectionAndReportsTheFirstFaultingByte() {
        memory.map(0x10000, 0x1000, PAGE_READWRITE);
        memory.map(0x11000, 0x1000, PAGE_READONLY);
        memory.map(0x12000, 0x1000, PAGE_EXECUTE);
        assertNull(memory.guestWrite(0x10FFC, new byte[4]));
        assertEquals(new MemoryFault(0x11000, AccessKind.WRITE), memory.guestWrite(0x10FFC, new byte[8]));
        byte[] b = new byte[8];
        assertEquals(new MemoryFault(0x12000, AccessKind.READ), memory.guestRead(0x11FFC, b), "PAGE_EXECUTE is not readable");
        assertEquals(new MemoryFault(0x10000, AccessKind.EXECUTE), memory.guestFetch(0x10000, new byte[1]));
        assertNull(memory.guestFetch(0x12000, new byte[1]));
        assertEquals(new MemoryFault(0x13000, AccessKind.READ), memory.guestRead(0x13000, b));
    }

    @Test
    void aFaultingGuestWriteChangesNothing() {
        memory.map(0x10000, 0x1000, PAGE_READWRITE);
        memory.map(0x11000, 0x1000, PAGE_READONLY);
        assertEquals(AccessKind.WRITE, memory.guestWrite(0x10FFE, new byte[] {9, 9, 9, 9}).kind());
        byte[] b = new byte[2];
        memory.read(0x10FFE, b, 0, 2);
        assertArrayEquals(new byte[2], b);
    }

    @Test
    void mappingRefusesOverlapsAndMapAnywhereFindsAlignedHoles() {
        assertTrue(memory.map(0x20000, 0x1000, PAGE_READWRITE));
        assertFalse(memory.map(0x1F000, 0x2000, PAGE_READWRITE));
        assertFalse(memory.map(0x20001, 0x1000, PAGE_READWRITE), "unaligned");
        long base = memory.mapAnywhere(0x10000, 0x100000, 0x11000, 0x10000, PAGE_READWRITE);
        assertEquals(0x30000, base, "0x10000 would overlap the page at 0x20000");
        assertEquals(0, memory.mapAnywhere(0x10000, 0x20000, 0x20000, 0x10000, PAGE_READWRITE));
        assertThrows(IllegalArgumentException.class, () -> memory.map(0x90000, 0x1000, 0x3));
    }

    @Test
    void protectAndUnmap() {
        memory.map(0x10000, 0x2000, PAGE_READWRITE);
        assertTrue(memory.protect(0x10000, 0x1000, PAGE_READONLY));
        assertEquals(PAGE_READONLY, memory.protection(0x10FFF));
        assertEquals(PAGE_READWRITE, memory.protection(0x11000));
        assertFalse(memory.protect(0x11000, 0x2000, PAGE_READONLY), "part of the range is unmapped");
        assertEquals(PAGE_READWRITE, memory.protection(0x11000), "a failed protect changes nothing");
        assertTrue(memory.unmap(0x10000, 0x2000));
        assertFalse(memory.isMapped(0x10000));
        assertEquals(0, memory.protection(0x10000));
        assertFalse(memory.unmap(0x10000, 0x2000));
    }
}
