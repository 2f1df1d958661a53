package dev.debugport.linux.platform;

import dev.debugport.kernel.mm.MemoryAccess;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.linux.ptrace.Procfs;
import dev.debugport.linux.ptrace.Ptrace;
import dev.debugport.linux.ptrace.UserRegs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the platform reads of a process to describe it to the NT machine: its memory and PEB binding, its images (the
 * executable and ld.so from the auxiliary vector, the link map's modules), its TEBs, and the addresses it needs inside
 * the process (thread start routines, a {@code syscall} instruction).
 */
final class ProcessImages {
    private static final long MAX_NAME = 4096;

    private final Ptrace pt;
    private final TracerCalls calls;
    private final ThreadRegisters registers;
    private final ElfCache elfCache = new ElfCache();

    ProcessImages(Ptrace pt, TracerCalls calls, ThreadRegisters registers) {
        this.pt = pt;
        this.calls = calls;
        this.registers = registers;
    }

    /** The link_map (r_debug.r_map) without the program, the vDSO and ld.so: l_addr to image. */
    Map<Long, ImageInfo> readLinkMap(LinuxProcess lp) {
        Map<Long, ImageInfo> out = new LinkedHashMap<>();
        if (lp.rDebug == 0) {
            return out;
        }
        try (RemoteReader reader = new RemoteReader(lp.pid)) {
            // struct link_map: l_addr @0, l_name @8, l_ld @16, l_next @24, read in one go.
            byte[] entry = new byte[32];
            ByteBuffer fields = ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN);
            long map = reader.read(lp.rDebug + 8, entry, 8) == 8 ? fields.getLong(0) : 0;
            boolean first = true;
            for (int i = 0; i < 4096 && map != 0; i++) {
                if (reader.read(map, entry, entry.length) != entry.length) {
                    break;
                }
                long lAddr = fields.getLong(0);
                long namePtr = fields.getLong(8);
                long next = fields.getLong(24);
                if (!first && lAddr != lp.loaderBase && lAddr != lp.vdso) {
                    String name = readCString(reader, namePtr);
                    ImageInfo image = name.isEmpty() ? null : moduleImage(lp, name, lAddr);
                    if (image != null) {
                        out.put(lAddr, image);
                    }
                }
                first = false;
                map = next;
            }
        }
        return out;
    }

    private ImageInfo moduleImage(LinuxProcess lp, String name, long lAddr) {
        Path path = Path.of(name);
        if (!path.isAbsolute()) {
            try {
                path = Files.readSymbolicLink(Path.of("/proc/" + lp.pid + "/cwd")).resolve(path).normalize();
            } catch (IOException e) {
                return null;
            }
        }
        Optional<ElfImage> elf = elf(path.toString());
        if (elf.isEmpty()) {
            // Not an ELF file we can read: listed without a size, unless it is gone.
            return Files.exists(path) ? new ImageInfo(path.toString(), lAddr, 0, 0, 0, 0, ImageInfo.MACHINE_AMD64)
                    : null;
        }
        return placed(path.toString(), elf.get(), lAddr);
    }

    /**
     * The image of the ELF file at {@code path} loaded with {@code bias}: based at its lowest segment, as large as
     * its segments span, entered at its e_entry.
     */
    private static ImageInfo placed(String path, ElfImage e, long bias) {
        return new ImageInfo(path, bias + e.lowestAddress(), e.mappedSize(), bias + e.entry(), 0, 0,
                ImageInfo.MACHINE_AMD64);
    }

    void bindMemory(LinuxProcess lp, EProcess process) {
        lp.eprocess = process;
        lp.shadow = new ShadowMemory(lp.pid);
        lp.memory = new LinuxMemory(lp.pid, lp.shadow, this::writeOnTracer);
        lp.startTime = Procfs.startTime(lp.pid);
        process.setPlatformData(lp);
        process.setMemory(lp.memory);
        process.setPebAddresses(ShadowMemory.PEB, 0);
    }

    private int writeOnTracer(java.util.function.IntSupplier write) {
        return calls.call(write::getAsInt, 0);
    }

    /**
     * Reads the process's images from its auxiliary vector and files: the executable (base, size, AT_ENTRY), ld.so
     * (AT_BASE) as system DLL slot 0, and where ld.so keeps r_debug and r_brk.
     */
    void readImage(LinuxProcess lp) {
        EProcess process = lp.eprocess;
        Auxv auxv = Auxv.read(lp.pid);
        ImageInfo exe = exeImage(lp.pid, null, auxv);
        if (exe != null) {
            process.setImage(exe);
            MemoryAccess.writeLong(lp.memory, ShadowMemory.PEB + 0x10, exe.base());
        }
        lp.vdso = auxv.get(Auxv.AT_SYSINFO_EHDR);
        lp.loaderBase = auxv.get(Auxv.AT_BASE);
        ImageInfo loader = null;
        if (lp.loaderBase != 0) {
            String path = ProcMaps.find(lp.pid, lp.loaderBase).map(ProcMaps.Mapping::path).orElse("");
            Optional<ElfImage> elf = path.isEmpty() ? Optional.empty() : elf(path);
            if (elf.isPresent()) {
                ElfImage e = elf.get();
                loader = placed(path, e, lp.loaderBase);
                lp.rDebug = e.symbol("_r_debug").map(v -> lp.loaderBase + v).orElse(0L);
                lp.rBrk = e.symbol("_dl_debug_state").map(v -> lp.loaderBase + v).orElse(0L);
            }
        }
        process.setSystemDlls(loader == null ? new ImageInfo[0] : new ImageInfo[] {loader});
        synchronized (process.loaderList()) {
            process.loaderList().clear();
            if (exe != null) {
                process.loaderList().add(exe);
                if (loader != null) {
                    process.loaderList().add(loader);
                }
            }
        }
    }

    /** The main image of a process: /proc/pid/exe, placed with the auxiliary vector (entry and load bias). */
    ImageInfo exeImage(int pid, String fallbackName) {
        return exeImage(pid, fallbackName, Auxv.read(pid));
    }

    /** {@link #exeImage(int, String)} with the process's auxiliary vector already read. */
    private ImageInfo exeImage(int pid, String fallbackName, Auxv auxv) {
        String path;
        try {
            path = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException e) {
            return fallbackName == null ? null : new ImageInfo(fallbackName, 0, 0, 0, 0, 0, ImageInfo.MACHINE_AMD64);
        }
        if (path.endsWith(" (deleted)")) {
            path = path.substring(0, path.length() - " (deleted)".length());
        }
        Optional<ElfImage> elf = elf(path);
        if (elf.isEmpty()) {
            return new ImageInfo(path, 0, 0, auxv.get(Auxv.AT_ENTRY), 0, 0, ImageInfo.MACHINE_AMD64);
        }
        ElfImage e = elf.get();
        long entry = auxv.get(Auxv.AT_ENTRY);
        // The load bias is where AT_ENTRY is against e_entry (so the image's entry is AT_ENTRY itself); none when
        // the vector has no entry.
        long bias = entry != 0 ? entry - e.entry() : 0;
        return placed(path, e, bias);
    }

    private Optional<ElfImage> elf(String path) {
        return elfCache.get(path);
    }

    /**
     * The Win32 start addresses of stopped threads: each one's pthread start routine, read from its struct pthread
     * (at its thread pointer, fs_base) at the offset glibc publishes for libthread_db
     * ({@code _thread_db_pthread_start_routine}); the thread's rip when that is unknown. The start routines of all
     * the threads are read in one batch ({@link RemoteReader#words}); fs_base comes from registers already read, else
     * from one PEEKUSER.
     */
    Map<LinuxThread, Long> startAddresses(LinuxProcess lp, List<LinuxThread> threads) {
        long offset = startRoutineOffset(lp);
        long[] slots = new long[threads.size()];
        for (int i = 0; i < slots.length && offset > 0; i++) {
            LinuxThread t = threads.get(i);
            long fsBase = t.regs != null ? t.regs.fsBase()
                    : pt.peekUser(t.tid, UserRegs.Reg.FS_BASE.offset()).orElse(0L);
            slots[i] = fsBase == 0 ? 0 : fsBase + offset;
        }
        long[] routines;
        try (RemoteReader reader = new RemoteReader(lp.pid)) {
            routines = reader.words(slots);
        }
        Map<LinuxThread, Long> starts = new HashMap<>();
        for (int i = 0; i < slots.length; i++) {
            LinuxThread t = threads.get(i);
            long start = routines[i];
            if (start == 0) {
                UserRegs regs = registers.regsOf(t);
                start = regs == null ? 0 : regs.rip();
            }
            starts.put(t, start);
        }
        return starts;
    }

    /** Where libc at {@code path} keeps its libthread_db descriptor of start_routine; empty for any other file. */
    private Optional<Long> startRoutineDescriptor(String path) {
        String name = Path.of(path).getFileName().toString();
        if (!name.startsWith("libc.so") && !name.startsWith("libc-")) {
            return Optional.empty();
        }
        return elf(path).flatMap(e -> e.symbol("_thread_db_pthread_start_routine"));
    }

    private long startRoutineOffset(LinuxProcess lp) {
        if (lp.startRoutineOffset != -1) {
            return lp.startRoutineOffset;
        }
        if (lp.modules.isEmpty()) {
            lp.modules.putAll(readLinkMap(lp));
        }
        for (Map.Entry<Long, ImageInfo> m : lp.modules.entrySet()) {
            Optional<Long> sym = startRoutineDescriptor(m.getValue().path());
            if (sym.isPresent()) {
                // A libthread_db descriptor: {size in bits, count, offset} as three 32-bit words.
                byte[] d = new byte[12];
                if (lp.memory.readRaw(m.getKey() + sym.get(), d, 0, 12) == 12) {
                    lp.startRoutineOffset = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(8));
                    return lp.startRoutineOffset;
                }
            }
        }
        lp.startRoutineOffset = -2;
        return -2;
    }

    /** A {@code syscall} instruction in the process's executable memory (for NtTerminateThread). */
    long syscallInstruction(LinuxProcess lp) {
        if (lp.syscallInstruction != 0) {
            return lp.syscallInstruction;
        }
        for (ProcMaps.Mapping m : ProcMaps.read(lp.pid).mappings()) {
            if (!m.executable() || !m.readable() || m.path().startsWith("[v")) {
                continue;
            }
            long length = Math.min(m.end() - m.start(), 1 << 20);
            byte[] b = new byte[(int) length];
            int n = lp.memory.readRaw(m.start(), b, 0, b.length);
            for (int i = 0; i + 1 < n; i++) {
                if (b[i] == 0x0F && b[i + 1] == 0x05 && !lp.memory.isPlanted(m.start() + i)) {
                    lp.syscallInstruction = m.start() + i;
                    return lp.syscallInstruction;
                }
            }
        }
        lp.syscallInstruction = -1;
        return -1;
    }

    private static String readCString(RemoteReader reader, long address) {
        if (address == 0) {
            return "";
        }
        byte[] b = new byte[256];
        StringBuilder sb = new StringBuilder();
        for (long at = address; sb.length() < MAX_NAME; at += b.length) {
            int n = reader.read(at, b, b.length);
            for (int i = 0; i < n; i++) {
                if (b[i] == 0) {
                    return sb.toString();
                }
                sb.append((char) (b[i] & 0xFF));
            }
            if (n < b.length) {
                break;
            }
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
