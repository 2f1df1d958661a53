package dev.debugport.linux.tracer;

import dev.debugport.linux.ptrace.Errno;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.RemoteMemory;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.linux.ptrace.SysResult;
import dev.debugport.linux.ptrace.UserRegs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memory, registers and debug registers of a stopped tracee. */
class MemoryAndRegistersTest extends TracerTestBase {
    private record Mapping(long start, long end, String perms, String name) {
    }

    private static List<Mapping> maps(int pid) throws IOException {
        List<Mapping> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
            String[] f = line.trim().split("\\s+", 6);
            String[] range = f[0].split("-");
            out.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16), f[1],
                    f.length > 5 ? f[5] : ""));
        }
        return out;
    }

    @Test
    void readingUnmappedMemoryFailsCleanlyAndEdgesGiveShortReads() throws IOException {
        int pid = launch("exitcode");
        SysResult<byte[]> nothing = RemoteMemory.read(pid, 0, 16);
        assertTrue(nothing.failedWith(Errno.EFAULT), nothing::toString);
        // A readable mapping followed by a hole: reading across its end stops exactly there.
        List<Mapping> maps = maps(pid);
        Mapping edge = null;
        for (int i = 0; i < maps.size() - 1 && edge == null; i++) {
            Mapping m = maps.get(i);
            if (m.perms().startsWith("r") && maps.get(i + 1).start() != m.end() && !m.name().equals("[vvar]")
                    && !m.name().equals("[vvar_vclock]")) {
                edge = m;
            }
        }
        assertTrue(edge != null, "a mapping followed by a hole");
        SysResult<byte[]> shortRead = RemoteMemory.read(pid, edge.end() - 8, 64);
        assertEquals(8, shortRead.orElseThrow().length, "short read up to the end of the mapping");
        // A read spanning several pages is exact too.
        SysResult<byte[]> pages = RemoteMemory.read(pid, edge.end() - 3 * 4096 - 5, 4096 * 4);
        if (edge.end() - edge.start() >= 4 * 4096) {
            assertEquals(3 * 4096 + 5, pages.orElseThrow().length);
        }
        // Reads work from any thread (process_vm_readv checks credentials, not the tracer thread).
        long rip = regs(pid).rip();
        byte[] fromTestThread = RemoteMemory.read(pid, rip, 8).orElseThrow();
        byte[] fromTracer = onTracer(pt -> RemoteMemory.read(pid, rip, 8)).orElseThrow();
        assertArrayEquals(fromTracer, fromTestThread);
        // Peek agrees with process_vm_readv.
        long peeked = onTracer(pt -> pt.peekData(pid, rip)).orElseThrow();
        long fromBytes = java.nio.ByteBuffer.wrap(fromTestThread).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(fromBytes, peeked);
    }

    @Test
    void writingAnInt3IntoReadOnlyTextWorks() {
        int pid = launch("bptarget");
        cont(pid, 0);
        long target = nextReport(pid);
        byte[] original = RemoteMemory.read(pid, target, 1).orElseThrow();
        assertNotEquals((byte) 0xCC, original[0]);
        // process_vm_writev honours the page protection: text is read-only.
        SysResult<Integer> vm = onTracer(pt -> RemoteMemory.writeVm(pid, target, new byte[] {(byte) 0xCC}, 0, 1));
        assertTrue(vm.failedWith(Errno.EFAULT), vm::toString);
        // write() falls back to /proc/pid/mem, which forces the write (copy-on-write).
        SysResult<Integer> written = onTracer(pt -> RemoteMemory.write(pid, target, new byte[] {(byte) 0xCC}, 0, 1));
        assertEquals(1, written.orElseThrow());
        assertEquals((byte) 0xCC, RemoteMemory.read(pid, target, 1).orElseThrow()[0]);
        cont(pid, 0);
        TraceEvent.SignalStop hit = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGTRAP, hit.signal());
        assertEquals(Signals.SI_KERNEL, hit.info().code());
        UserRegs r = regs(pid);
        assertEquals(target + 1, r.rip(), "stopped just past the planted int3");
        // Remove the breakpoint, back up rip, continue: target(3) returns 5.
        assertEquals(1, onTracer(pt -> RemoteMemory.write(pid, target, original, 0, 1)).orElseThrow());
        onTracer(pt -> pt.setRegs(pid, r.withRip(target))).orElseThrow();
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 5), events.awaitProcessEnd(pid));
    }

    @Test
    void pokeDataAlsoWritesReadOnlyText() {
        int pid = launch("bptarget");
        cont(pid, 0);
        long target = nextReport(pid);
        long word = onTracer(pt -> pt.peekData(pid, target)).orElseThrow();
        long patched = (word & ~0xFFL) | 0xCC;
        onTracer(pt -> pt.pokeData(pid, target, patched)).orElseThrow();
        assertEquals(patched, (long) onTracer(pt -> pt.peekData(pid, target)).orElseThrow());
        cont(pid, 0);
        events.next(TraceEvent.SignalStop.class);
        assertEquals(target + 1, regs(pid).rip());
        onTracer(pt -> pt.pokeData(pid, target, word)).orElseThrow();
        UserRegs r = regs(pid);
        onTracer(pt -> pt.setRegs(pid, r.withRip(target))).orElseThrow();
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 5), events.awaitProcessEnd(pid));
    }

    @Test
    void registersRoundTrip() {
        int pid = launch("regs");
        cont(pid, 0);
        events.next(TraceEvent.SignalStop.class);
        UserRegs before = regs(pid);
        assertEquals(1, before.rbx());
        onTracer(pt -> pt.setRegs(pid, before)).orElseThrow();
        assertEquals(before, regs(pid), "GETREGS after SETREGS of the same values");
        // Every general register survives a round trip with a distinct value.
        UserRegs changed = before;
        long[] probe = {0x1111, 0x2222, 0x3333, 0x4444};
        UserRegs.Reg[] regs = {UserRegs.Reg.R12, UserRegs.Reg.R13, UserRegs.Reg.R14, UserRegs.Reg.R15};
        for (int i = 0; i < regs.length; i++) {
            changed = changed.with(regs[i], probe[i]);
        }
        UserRegs sent = changed;
        onTracer(pt -> pt.setRegs(pid, sent)).orElseThrow();
        UserRegs back = regs(pid);
        assertEquals(sent, back);
        assertEquals(0x3333, back.get(UserRegs.Reg.R14));
        assertEquals(0x3333, (long) onTracer(pt -> pt.peekUser(pid, UserRegs.Reg.R14.offset())).orElseThrow(),
                "PEEKUSER at the user_regs_struct offset");
        // Restore the callee-saved registers, set rbx: the program exits with rbx's low byte.
        onTracer(pt -> pt.setRegs(pid, before.with(UserRegs.Reg.RBX, 77))).orElseThrow();
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 77), events.awaitProcessEnd(pid));
    }

    @Test
    void hardwareWatchpointThroughDr7() {
        int pid = launch("watch");
        cont(pid, 0);
        long watched = nextReport(pid);
        // DR0 = address; DR7: L0 (bit 0), RW0 = 01 write (bits 16-17), LEN0 = 11 four bytes (bits 18-19).
        long dr7 = 1L | (0b01L << 16) | (0b11L << 18);
        onTracer(pt -> pt.setDebugReg(pid, 0, watched)).orElseThrow();
        onTracer(pt -> pt.setDebugReg(pid, 7, dr7)).orElseThrow();
        assertEquals(watched, (long) onTracer(pt -> pt.getDebugReg(pid, 0)).orElseThrow());
        assertEquals(dr7, (long) onTracer(pt -> pt.getDebugReg(pid, 7)).orElseThrow());
        cont(pid, 0);
        TraceEvent.SignalStop hit = events.next(TraceEvent.SignalStop.class);
        assertEquals(Signals.SIGTRAP, hit.signal());
        assertEquals(Signals.TRAP_HWBKPT, hit.info().code());
        long dr6 = onTracer(pt -> pt.getDebugReg(pid, 6)).orElseThrow();
        assertEquals(1, dr6 & 0xF, "DR6 B0: slot 0 fired");
        // A data breakpoint traps after the write; si_addr is the instruction pointer, not the data address.
        byte[] value = RemoteMemory.read(pid, watched, 4).orElseThrow();
        assertEquals(1, value[0]);
        assertEquals(regs(pid).rip(), hit.info().addr());
        // Clear the watchpoint and DR6, run to the end.
        onTracer(pt -> pt.setDebugReg(pid, 7, 0)).orElseThrow();
        onTracer(pt -> pt.setDebugReg(pid, 6, 0)).orElseThrow();
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 2), events.awaitProcessEnd(pid));
    }

    @Test
    void ptraceFromAnotherThreadGetsEsrch() {
        int pid = launch("exitcode");
        // The tracee is stopped, and traced by this JVM, but not by this thread: the kernel says ESRCH.
        SysResult<UserRegs> fromTestThread = new Ptrace().getRegs(pid);
        assertTrue(fromTestThread.failedWith(Errno.ESRCH), fromTestThread::toString);
        SysResult<Void> contFromTestThread = new Ptrace().cont(pid, 0);
        assertTrue(contFromTestThread.failedWith(Errno.ESRCH));
        // The same calls on the tracer thread work.
        assertTrue(onTracer(pt -> pt.getRegs(pid)).isOk());
        events.resumeAll();
        cont(pid, 0);
        assertEquals(new TraceEvent.Exited(pid, pid, 0), events.awaitProcessEnd(pid));
    }
}
