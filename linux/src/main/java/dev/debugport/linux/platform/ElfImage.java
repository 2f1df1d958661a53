package dev.debugport.linux.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an x86-64 ELF file the platform needs, read from the file: the header, the loadable segments (where
 * the image lies relative to its load bias, and how big it is), the entry point, and the dynamic symbol table (to
 * find ld.so's {@code _r_debug} and {@code _dl_debug_state}, and libc's {@code _thread_db_*} descriptors).
 *
 * <pre>
 * Elf64_Ehdr (64 bytes): e_ident[16] ("\x7fELF", class 2 = 64-bit, data 1 = little endian), e_type @16 (u16),
 *   e_machine @18 (0x3E x86-64), e_entry @24, e_phoff @32, e_shoff @40, e_phentsize @54, e_phnum @56,
 *   e_shentsize @58, e_shnum @60
 * Elf64_Phdr (56 bytes): p_type @0 (u32; 1 PT_LOAD, 2 PT_DYNAMIC, 3 PT_INTERP, 6 PT_PHDR), p_offset @8, p_vaddr @16,
 *   p_filesz @32, p_memsz @40
 * Elf64_Shdr (64 bytes): sh_type @4 (u32; 11 SHT_DYNSYM, 2 SHT_SYMTAB), sh_offset @24, sh_size @32, sh_link @40
 * Elf64_Sym (24 bytes): st_name @0 (u32), st_info @4, st_shndx @6 (u16), st_value @8, st_size @16
 * </pre>
 *
 * Every read is bounded by the file size; a malformed file gives an empty result, never an exception.
 */
public final class ElfImage {
    /** ELF machine number of x86-64. */
    public static final int EM_X86_64 = 0x3E;
    static final int PT_LOAD = 1;
    static final int PT_INTERP = 3;
    static final int PT_PHDR = 6;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final long MAX_TABLE = 64L << 20;
    private static final long PAGE = 4096;

    /** One program header. */
    public record Segment(int type, long offset, long vaddr, long fileSize, long memSize) {
    }

    private final Path path;
    private final int type;
    private final long entry;
    private final List<Segment> segments;
    private final Map<String, Long> symbols;

    private ElfImage(Path path, int type, long entry, List<Segment> segments, Map<String, Long> symbols) {
        this.path = path;
        this.type = type;
        this.entry = entry;
        this.segments = List.copyOf(segments);
        this.symbols = symbols;
    }

    /** Reads {@code path}; empty if it is not a readable 64-bit little-endian ELF file. */
    public static Optional<ElfImage> read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer eh = readAt(ch, 0, 64, size);
            if (eh == null || eh.getInt(0) != 0x464C457F || eh.get(4) != 2 || eh.get(5) != 1) {
                return Optional.empty();
            }
            int type = Short.toUnsignedInt(eh.getShort(16));
            long entry = eh.getLong(24);
            long phoff = eh.getLong(32);
            long shoff = eh.getLong(40);
            int phentsize = Short.toUnsignedInt(eh.getShort(54));
            int phnum = Short.toUnsignedInt(eh.getShort(56));
            int shentsize = Short.toUnsignedInt(eh.getShort(58));
            int shnum = Short.toUnsignedInt(eh.getShort(60));
            List<Segment> segments = new ArrayList<>();
            if (phentsize >= 56 && phnum > 0) {
                ByteBuffer ph = readAt(ch, phoff, (long) phentsize * phnum, size);
                if (ph != null) {
                    for (int i = 0; i < phnum; i++) {
                        int at = i * phentsize;
                        segments.add(new Segment(ph.getInt(at), ph.getLong(at + 8), ph.getLong(at + 16),
                                ph.getLong(at + 32), ph.getLong(at + 40)));
                    }
                }
            }
            Map<String, Long> symbols = new HashMap<>();
            if (shentsize >= 64 && shnum > 0) {
                ByteBuffer sh = readAt(ch, shoff, (long) shentsize * shnum, size);
                if (sh != null) {
                    readSymbols(ch, size, sh, shentsize, shnum, SHT_SYMTAB, symbols);
                    readSymbols(ch, size, sh, shentsize, shnum, SHT_DYNSYM, symbols);
                }
            }
            return Optional.of(new ElfImage(path, type, entry, segments, symbols));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void readSymbols(FileChannel ch, long size, ByteBuffer sh, int shentsize, int shnum, int wanted,
                                    Map<String, Long> out) throws IOException {
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            if (sh.getInt(at + 4) != wanted) {
                continue;
            }
            long offset = sh.getLong(at + 24);
            long length = Math.min(sh.getLong(at + 32), MAX_TABLE);
            int link = sh.getInt(at + 40);
            if (link < 0 || link >= shnum) {
                continue;
            }
            int strAt = link * shentsize;
            ByteBuffer syms = readAt(ch, offset, length, size);
            ByteBuffer strs = readAt(ch, sh.getLong(strAt + 24), Math.min(sh.getLong(strAt + 32), MAX_TABLE), size);
            if (syms == null || strs == null) {
                continue;
            }
            for (int s = 0; s + 24 <= syms.limit(); s += 24) {
                int name = syms.getInt(s);
                int shndx = Short.toUnsignedInt(syms.getShort(s + 6));
                long value = syms.getLong(s + 8);
                if (name <= 0 || name >= strs.limit() || shndx == 0) {
                    continue;
                }
                int end = name;
                while (end < strs.limit() && strs.get(end) != 0) {
                    end++;
                }
                byte[] b = new byte[end - name];
                strs.get(name, b);
                out.putIfAbsent(new String(b, StandardCharsets.ISO_8859_1), value);
            }
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long offset, long length, long fileSize) throws IOException {
        if (offset < 0 || length < 0 || length > MAX_TABLE || offset + length > fileSize) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                return null;
            }
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    public Path path() {
        return path;
    }

    /** e_type: 2 ET_EXEC (fixed address), 3 ET_DYN (position independent). */
    public int type() {
        return type;
    }

    /** e_entry, relative to the load bias. */
    public long entry() {
        return entry;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The value of a symbol (relative to the load bias), from .symtab or .dynsym. */
    public Optional<Long> symbol(String name) {
        return Optional.ofNullable(symbols.get(name));
    }

    /** The page-aligned lowest virtual address of the loadable segments (where the ELF header is mapped). */
    public long lowestAddress() {
        long low = Long.MAX_VALUE;
        for (Segment s : segments) {
            if (s.type() == PT_LOAD) {
                low = Math.min(low, s.vaddr());
            }
        }
        return low == Long.MAX_VALUE ? 0 : low & ~(PAGE - 1);
    }

    /** The size of the mapped image: from {@link #lowestAddress()} to the page-rounded end of the last segment. */
    public long mappedSize() {
        long high = 0;
        for (Segment s : segments) {
            if (s.type() == PT_LOAD) {
                high = Math.max(high, s.vaddr() + s.memSize());
            }
        }
        long end = (high + PAGE - 1) & ~(PAGE - 1);
        return Math.max(0, end - lowestAddress());
    }

    /** The virtual address of the program headers (PT_PHDR, or the first segment's address plus e_phoff). */
    public Optional<Long> phdrAddress() {
        for (Segment s : segments) {
            if (s.type() == PT_PHDR) {
                return Optional.of(s.vaddr());
            }
        }
        return Optional.empty();
    }

    /** Whether the file asks for a program interpreter (a dynamically linked executable). */
    public boolean hasInterpreter() {
        return segments.stream().anyMatch(s -> s.type() == PT_INTERP);
    }
}
