package dev.debugport.linux.platform;

import dev.debugport.kernel.ps.Teb;
import dev.debugport.linux.ptrace.Procfs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The NT structures a Linux process does not have, overlaid on its {@link dev.debugport.kernel.mm.ProcessMemory}
 * view: a PEB and one TEB per thread, in a range no Linux process can map (the first non-canonical address, 2^47, and
 * up: user space ends below it with 4-level paging, and the kernel hands out higher addresses only on request), so
 * the overlay never hides real memory. Debuggers read and write them through Read/WriteProcessMemory like on
 * Windows; the program itself cannot see them.
 *
 * <pre>
 * SHADOW_BASE                         PEB (0x1000 bytes): BeingDebugged at +0x2 (derived, see below),
 *                                     ImageBaseAddress at +0x10
 * SHADOW_BASE + 0x10000 + n * 0x2000  TEB of the n-th thread of the process (0x2000 bytes): NtTib.Self +0x30,
 *                                     ClientId +0x40, Peb +0x60, ArbitraryUserPointer +0x28, StaticUnicodeBuffer
 *                                     +0x1268
 * </pre>
 *
 * <p>A TEB's bytes are made at its first read or write, with NtTib.Self, ClientId and Peb filled in: most TEBs are
 * never looked at, and an attach to a thousand threads would otherwise allocate and fill 8 MB for nothing.
 *
 * <p><b>BeingDebugged is TracerPid.</b> The byte is not stored: a read returns 1 when {@code /proc/pid/status} names
 * a tracer (TracerPid != 0), 0 otherwise, which is what Linux anti-debug code looks at; DbgkpMarkProcessPeb's writes
 * to it are dropped. The two agree because the platform traces exactly the processes that have a debug port (it
 * seizes them on launch or attach and detaches them when the port goes), and for the debugger's own process (the
 * JVM) the byte honestly says whether someone (gdb) traces the JVM.
 */
final class ShadowMemory {
    /** The start of the overlay: the first non-canonical user address. */
    static final long BASE = 0x0000_8000_0000_0000L;
    static final long PEB = BASE;
    static final int PEB_SIZE = 0x1000;
    static final long TEB_AREA = BASE + 0x10000;
    static final int TEB_SIZE = 0x2000;
    /** The end of the overlay (room for 2^20 TEBs). */
    static final long END = TEB_AREA + ((long) TEB_SIZE << 20);
    private static final int BEING_DEBUGGED = 0x2;

    private final int pid;
    private final byte[] peb = new byte[PEB_SIZE];
    /** The TEBs read or written so far, by address. */
    private final Map<Long, byte[]> tebs = new HashMap<>();
    /** The thread id of the n-th TEB. */
    private long[] tebThreads = new long[64];
    private int nextTeb;

    ShadowMemory(int pid) {
        this.pid = pid;
    }

    static boolean contains(long address) {
        return address >= BASE && address < END;
    }

    /** Reserves a TEB for thread {@code tid} and returns its address. */
    synchronized long allocateTeb(long tid) {
        if (nextTeb == tebThreads.length) {
            tebThreads = Arrays.copyOf(tebThreads, nextTeb * 2);
        }
        tebThreads[nextTeb] = tid;
        return TEB_AREA + (long) TEB_SIZE * nextTeb++;
    }

    /** The bytes of the TEB at {@code base}, made now if this is the first access; null if none was reserved there. */
    private byte[] teb(long base) {
        int n = (int) ((base - TEB_AREA) / TEB_SIZE);
        if (n >= nextTeb) {
            return null;
        }
        return tebs.computeIfAbsent(base, b -> {
            ByteBuffer teb = ByteBuffer.allocate(TEB_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            teb.putLong(Teb.SELF_OFFSET, b);
            teb.putLong(Teb.CLIENT_ID_OFFSET, pid);
            teb.putLong(Teb.CLIENT_ID_OFFSET + 8, tebThreads[n]);
            teb.putLong(Teb.PEB_OFFSET, PEB);
            return teb.array();
        });
    }

    synchronized int read(long address, byte[] buffer, int offset, int length) {
        return transfer(address, length, (region, inRegion, done, n) -> {
            System.arraycopy(region, inRegion, buffer, offset + done, n);
            if (region == peb && inRegion <= BEING_DEBUGGED && inRegion + n > BEING_DEBUGGED) {
                buffer[offset + done + BEING_DEBUGGED - inRegion] = (byte) (beingDebugged() ? 1 : 0);
            }
        });
    }

    synchronized int write(long address, byte[] buffer, int offset, int length) {
        return transfer(address, length,
                (region, inRegion, done, n) -> System.arraycopy(buffer, offset + done, region, inRegion, n));
    }

    /** One piece of a transfer: {@code n} bytes at {@code inRegion} of {@code region}, {@code done} bytes in. */
    private interface Piece {
        void copy(byte[] region, int inRegion, int done, int n);
    }

    /** Walks {@code length} bytes from {@code address} region by region, up to the first byte outside the overlay. */
    private int transfer(long address, int length, Piece piece) {
        int done = 0;
        while (done < length) {
            long at = address + done;
            byte[] region = regionOf(at);
            if (region == null) {
                break;
            }
            int inRegion = (int) (at - regionBase(at));
            int n = Math.min(length - done, region.length - inRegion);
            piece.copy(region, inRegion, done, n);
            done += n;
        }
        return done;
    }

    private boolean beingDebugged() {
        return Procfs.tracerPid(pid).orElse(0) != 0;
    }

    private byte[] regionOf(long at) {
        if (at >= PEB && at < PEB + PEB_SIZE) {
            return peb;
        }
        if (at >= TEB_AREA && at < END) {
            return teb(regionBase(at));
        }
        return null;
    }

    private static long regionBase(long at) {
        if (at < TEB_AREA) {
            return PEB;
        }
        return TEB_AREA + (at - TEB_AREA) / TEB_SIZE * TEB_SIZE;
    }
}
