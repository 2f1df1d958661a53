package dev.debugport.linux.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The parts of an x86-64 ELF file the platform needs, read from the file: the header, the loadable segments (where
 * the image lies relative to its load bias, and how big it is), the entry point, and the symbol tables (to find
 * ld.so's {@code _r_debug} and {@code _dl_debug_state}, and libc's {@code _thread_db_*} descriptors).
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
 * {@link #read} reads the headers only (the first page and the section header table). The symbol tables are read
 * the first time a symbol is asked for, and searched as they lie in the file, without a map of every name: an attach
 * reads the headers of every loaded module but looks up three symbols in two of them.
 *
 * <p>Every read is bounded by the file size; a malformed file gives an empty result, never an exception.
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
    private static final int SYM_SIZE = 24;

    /** One program header. */
    public record Segment(int type, long offset, long vaddr, long fileSize, long memSize) {
    }

    /**
     * Which file was read: its device and inode ({@code fileKey}), modification time and size. A file replaced at
     * the same path (a program rebuilt) has another identity.
     */
    public record FileIdentity(Object fileKey, long modifiedNanos, long size) {
        /** The identity of the file at {@code path} now; empty if it cannot be read. */
        public static Optional<FileIdentity> of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                long modified = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
                return Optional.of(new FileIdentity(a.fileKey(), modified, a.size()));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        // Written out for the reason Handle's are (dev.debugport.nt.Handle): cold, the generated ones are slow.
        @Override
        public boolean equals(Object o) {
            return o instanceof FileIdentity f && f.modifiedNanos == modifiedNanos && f.size == size
                    && Objects.equals(f.fileKey, fileKey);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(fileKey) * 31 + Long.hashCode(modifiedNanos);
        }
    }

    /** Where one symbol table and its string table lie in the file. */
    private record TableAt(long symOffset, long symLength, long strOffset, long strLength) {
    }

    /** A symbol table and its string table, as read from the file. */
    private record Table(ByteBuffer symbols, ByteBuffer strings) {
    }

    private final Path path;
    private final FileIdentity identity;
    private final int type;
    private final long entry;
    private final List<Segment> segments;
    /** .symtab tables first, then .dynsym: the first definition of a name wins. */
    private final List<TableAt> tablesAt;
    /** The tables, once read (null before; empty if the file could not be read again). */
    private List<Table> tables;

    private ElfImage(Path path, FileIdentity identity, int type, long entry, List<Segment> segments,
                     List<TableAt> tablesAt) {
        this.path = path;
        this.identity = identity;
        this.type = type;
        this.entry = entry;
        this.segments = List.copyOf(segments);
        this.tablesAt = List.copyOf(tablesAt);
    }

    /** Reads the headers of {@code path}; empty if it is not a readable 64-bit little-endian ELF file. */
    public static Optional<ElfImage> read(Path path) {
        return FileIdentity.of(path).flatMap(identity -> read(path, identity));
    }

    /** {@link #read(Path)} of a file whose identity was just taken. */
    static Optional<ElfImage> read(Path path, FileIdentity identity) {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long size = file.length();
            // The ELF header and, in any file a linker wrote, the program headers lie in the first page.
            ByteBuffer first = readAt(file, 0, Math.min(size, PAGE), size);
            if (first == null || first.limit() < 64 || first.getInt(0) != 0x464C457F || first.get(4) != 2
                    || first.get(5) != 1) {
                return Optional.empty();
            }
            int type = Short.toUnsignedInt(first.getShort(16));
            long entry = first.getLong(24);
            long phoff = first.getLong(32);
            long shoff = first.getLong(40);
            int phentsize = Short.toUnsignedInt(first.getShort(54));
            int phnum = Short.toUnsignedInt(first.getShort(56));
            int shentsize = Short.toUnsignedInt(first.getShort(58));
            int shnum = Short.toUnsignedInt(first.getShort(60));
            List<Segment> segments = new ArrayList<>();
            if (phentsize >= 56 && phnum > 0) {
                long length = (long) phentsize * phnum;
                ByteBuffer ph = phoff >= 0 && phoff + length <= first.limit()
                        ? first.slice((int) phoff, (int) length).order(ByteOrder.LITTLE_ENDIAN)
                        : readAt(file, phoff, length, size);
                if (ph != null) {
                    for (int i = 0; i < phnum; i++) {
                        int at = i * phentsize;
                        segments.add(new Segment(ph.getInt(at), ph.getLong(at + 8), ph.getLong(at + 16),
                                ph.getLong(at + 32), ph.getLong(at + 40)));
                    }
                }
            }
            List<TableAt> tablesAt = new ArrayList<>();
            if (shentsize >= 64 && shnum > 0) {
                ByteBuffer sh = readAt(file, shoff, (long) shentsize * shnum, size);
                if (sh != null) {
                    findTables(sh, shentsize, shnum, SHT_SYMTAB, tablesAt);
                    findTables(sh, shentsize, shnum, SHT_DYNSYM, tablesAt);
                }
            }
            return Optional.of(new ElfImage(path, identity, type, entry, segments, tablesAt));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void findTables(ByteBuffer sh, int shentsize, int shnum, int wanted, List<TableAt> out) {
        for (int i = 0; i < shnum; i++) {
            int at = i * shentsize;
            if (sh.getInt(at + 4) != wanted) {
                continue;
            }
            int link = sh.getInt(at + 40);
            if (link < 0 || link >= shnum) {
                continue;
            }
            int strAt = link * shentsize;
            out.add(new TableAt(sh.getLong(at + 24), sh.getLong(at + 32),
                    sh.getLong(strAt + 24), sh.getLong(strAt + 32)));
        }
    }

    /** The symbol tables, read on first use from the same file (none if it was replaced or cannot be read). */
    private synchronized List<Table> tables() {
        if (tables != null) {
            return tables;
        }
        List<Table> read = new ArrayList<>();
        if (!tablesAt.isEmpty() && FileIdentity.of(path).equals(Optional.of(identity))) {
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
                long size = file.length();
                for (TableAt t : tablesAt) {
                    ByteBuffer syms = readAt(file, t.symOffset(), Math.min(t.symLength(), MAX_TABLE), size);
                    ByteBuffer strs = readAt(file, t.strOffset(), Math.min(t.strLength(), MAX_TABLE), size);
                    if (syms != null && strs != null) {
                        read.add(new Table(syms, strs));
                    }
                }
            } catch (IOException | RuntimeException e) {
                read.clear();
            }
        }
        tables = List.copyOf(read);
        return tables;
    }

    /** The first defined symbol called {@code name} in {@code t}. */
    private static Optional<Long> lookUp(Table t, byte[] name) {
        ByteBuffer syms = t.symbols();
        ByteBuffer strs = t.strings();
        for (int s = 0; s + SYM_SIZE <= syms.limit(); s += SYM_SIZE) {
            int at = syms.getInt(s);
            if (at > 0 && at + name.length < strs.limit() && syms.getShort(s + 6) != 0 && namedAt(strs, at, name)) {
                return Optional.of(syms.getLong(s + 8));
            }
        }
        return Optional.empty();
    }

    private static boolean namedAt(ByteBuffer strs, int at, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (strs.get(at + i) != name[i]) {
                return false;
            }
        }
        return strs.get(at + name.length) == 0;
    }

    /**
     * {@code length} bytes at {@code offset}, or null past the end of the file. (A RandomAccessFile: opening a
     * FileChannel costs several times as much, which showed with the hundred libraries of an attach.)
     */
    private static ByteBuffer readAt(RandomAccessFile f, long offset, long length, long fileSize) throws IOException {
        if (offset < 0 || length < 0 || length > MAX_TABLE || offset + length > fileSize) {
            return null;
        }
        byte[] b = new byte[(int) length];
        f.seek(offset);
        f.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
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

    /** The value of a defined symbol (relative to the load bias), from .symtab or else .dynsym. */
    public Optional<Long> symbol(String name) {
        byte[] wanted = name.getBytes(StandardCharsets.ISO_8859_1);
        for (Table t : tables()) {
            Optional<Long> value = lookUp(t, wanted);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
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
