package dev.debugport.debugger.target;

import dev.debugport.kernel.UserPointer;
import dev.debugport.nt.Handle;
import dev.debugport.win32.Kernel32;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** Reads pointers, strings and image headers out of a debuggee through ReadProcessMemory. */
public final class DebuggeeMemory {
    private final Kernel32 k32;

    public DebuggeeMemory(Kernel32 k32) {
        this.k32 = k32;
    }

    public OptionalLong readPointer(Handle process, long address) {
        byte[] b = new byte[8];
        if (!k32.readProcessMemory(process, address, b, 8, null)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** Reads up to {@code bytes} bytes, stopping where memory ends (a short read is not an error here). */
    public byte[] readUpTo(Handle process, long address, int bytes) {
        byte[] b = new byte[bytes];
        UserPointer<Long> got = UserPointer.of(0L);
        k32.readProcessMemory(process, address, b, bytes, got);
        return java.util.Arrays.copyOf(b, got.get().intValue());
    }

    /** A string of {@code length} units (bytes for ANSI, UTF-16 units for Unicode), cut at the first NUL. */
    public String readString(Handle process, long address, int length, boolean unicode) {
        int bytes = Math.max(0, Math.min(length, 4096)) * (unicode ? 2 : 1);
        byte[] b = readUpTo(process, address, bytes);
        String s = new String(b, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    /** The image name lpImageName points at: a pointer in the debuggee to a UTF-16 path (null if unreadable). */
    public String readImageName(Handle process, long namePointer, boolean unicode) {
        if (namePointer == 0) {
            return null;
        }
        OptionalLong p = readPointer(process, namePointer);
        if (p.isEmpty() || p.getAsLong() == 0) {
            return null;
        }
        String s = readString(process, p.getAsLong(), 520, unicode);
        return s.isEmpty() ? null : s;
    }

    /**
     * The path a debugger shows for the image of a CREATE_PROCESS or LOAD_DLL event: lpImageName if it can be read,
     * else the path of the event's file handle (GetFinalPathNameByHandle), else {@code <unknown>}. The event handed
     * the file handle to the debugger, which must close it: this closes it once the name is known.
     */
    public String takeImagePath(Handle process, long namePointer, boolean unicode, Handle file) {
        String name = process == null ? null : readImageName(process, namePointer, unicode);
        if (name == null && !file.isNull()) {
            name = k32.getFinalPathNameByHandle(file);
        }
        if (!file.isNull()) {
            k32.closeHandle(file);
        }
        return name == null ? "<unknown>" : name;
    }

    /**
     * SizeOfImage from the PE headers mapped at {@code base}, or for an ELF image (a Linux debuggee) the extent of
     * its loadable segments from the program headers mapped there (0 if neither can be read).
     */
    public long imageSize(Handle process, long base) {
        byte[] dos = readUpTo(process, base, 0x40);
        if (dos.length >= 0x40 && dos[0] == 0x7F && dos[1] == 'E' && dos[2] == 'L' && dos[3] == 'F') {
            return elfImageSize(process, base, dos);
        }
        if (dos.length < 0x40 || dos[0] != 'M' || dos[1] != 'Z') {
            return 0;
        }
        int lfanew = ByteBuffer.wrap(dos).order(ByteOrder.LITTLE_ENDIAN).getInt(0x3C);
        byte[] nt = readUpTo(process, base + lfanew, 24 + 60);
        if (nt.length < 24 + 60 || nt[0] != 'P' || nt[1] != 'E') {
            return 0;
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(nt).order(ByteOrder.LITTLE_ENDIAN).getInt(24 + 56));
    }

    /**
     * The size of an ELF64 image whose header is mapped at {@code base}: from its lowest PT_LOAD address (page
     * aligned, where the header lies) to the page-rounded end of its highest one (e_phoff @32, e_phentsize @54,
     * e_phnum @56; Elf64_Phdr: p_type @0, p_vaddr @16, p_memsz @40).
     */
    private long elfImageSize(Handle process, long base, byte[] header) {
        ByteBuffer eh = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = eh.getLong(32);
        int phentsize = Short.toUnsignedInt(eh.getShort(54));
        int phnum = Short.toUnsignedInt(eh.getShort(56));
        if (phentsize < 56 || phnum == 0 || phnum > 256 || phoff <= 0 || phoff > 0x10000) {
            return 0;
        }
        byte[] ph = readUpTo(process, base + phoff, phentsize * phnum);
        if (ph.length < phentsize * phnum) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN);
        long low = Long.MAX_VALUE;
        long high = 0;
        for (int i = 0; i < phnum; i++) {
            int at = i * phentsize;
            if (b.getInt(at) == 1) {
                low = Math.min(low, b.getLong(at + 16));
                high = Math.max(high, b.getLong(at + 16) + b.getLong(at + 40));
            }
        }
        if (low == Long.MAX_VALUE) {
            return 0;
        }
        long start = low & ~0xFFFL;
        long end = (high + 0xFFF) & ~0xFFFL;
        return end - start;
    }
}
