package dev.debugport.analysis.elf;

import dev.debugport.analysis.dwarf.DebugInfo;
import dev.debugport.analysis.dwarf.DebugSections;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.fornwall.jelf.ElfException;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSection;
import net.fornwall.jelf.ElfSectionHeader;
import net.fornwall.jelf.ElfSegment;
import net.fornwall.jelf.ElfSymbol;
import net.fornwall.jelf.ElfSymbolTableSection;

/**
 * What the debugger needs from one x86-64 ELF file on disk, read once with jelf: where its image lies relative to
 * its load address (the type and the lowest PT_LOAD address), its function and object symbols (.symtab and .dynsym,
 * with link-time addresses), and the unwind tables (.eh_frame and its address); and, read again from the file the
 * first time kp asks for them, its DWARF debugging information. Nothing keeps the file open.
 */
public final class ElfModule {
    /** ELF machine number of x86-64. */
    private static final int EM_X86_64 = 0x3E;
    private static final long PAGE_MASK = ~0xFFFL;
    /** STT_GNU_IFUNC: an indirect function (libc's string routines); its value is the resolver, which is code. */
    private static final int STT_GNU_IFUNC = 10;
    /** Section indexes at and above SHN_LORESERVE (SHN_ABS, SHN_COMMON...) are not places in the image. */
    private static final int SHN_LORESERVE = 0xFF00;
    private static final int MAGIC = 0x464C457F;

    /** A section's link-time address and its bytes. */
    public record Section(long address, byte[] data) {
    }

    private final Path path;
    private final int type;
    private final long lowestLoadAddress;
    private final List<ElfSymbolEntry> symbols;
    private final Optional<Section> ehFrame;
    /** Read on first use: most modules are never asked for parameters. */
    private DebugInfo debugInfo;

    private ElfModule(Path path, int type, long lowestLoadAddress, List<ElfSymbolEntry> symbols, Optional<Section> ehFrame) {
        this.path = path;
        this.type = type;
        this.lowestLoadAddress = lowestLoadAddress;
        this.symbols = symbols;
        this.ehFrame = ehFrame;
    }

    /** True if {@code path} is a regular file that starts with the ELF magic ("\x7fELF"). */
    public static boolean isElf(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && ch.read(magic) > 0) {
                // a short read of a small file: keep reading until four bytes or the end
            }
            return !magic.hasRemaining() && magic.getInt(0) == MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads {@code path}; empty if it is not a readable 64-bit x86-64 ELF file with at least one loadable segment
     * (a malformed file gives empty, never an exception).
     */
    public static Optional<ElfModule> read(Path path) {
        if (!isElf(path)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            ElfFile elf = ElfFile.from(mapped);
            if (elf.ei_class != ElfFile.CLASS_64 || elf.e_machine != EM_X86_64) {
                return Optional.empty();
            }
            long lowest = lowestLoadAddress(elf);
            if (lowest == Long.MAX_VALUE) {
                return Optional.empty();
            }
            return Optional.of(new ElfModule(path, elf.e_type, lowest, symbols(elf), section(elf, ".eh_frame")));
        } catch (IOException | RuntimeException e) {
            // jelf reports a truncated or inconsistent file with ElfException and other unchecked exceptions.
            return Optional.empty();
        }
    }

    /**
     * How far the image was moved from its link-time addresses when its lowest mapped address is {@code base}: for a
     * shared object or PIE (ET_DYN) {@code base} minus the page of its lowest PT_LOAD address; 0 for a fixed
     * executable (ET_EXEC), which runs where it was linked.
     */
    public long loadBias(long base) {
        return type == ElfFile.ET_DYN ? base - (lowestLoadAddress & PAGE_MASK) : 0;
    }

    /** The function and object symbols of .symtab and .dynsym (both; a name may appear in each), unrelocated. */
    public List<ElfSymbolEntry> symbols() {
        return symbols;
    }

    /** The .eh_frame section, if the file has one. */
    public Optional<Section> ehFrame() {
        return ehFrame;
    }

    /**
     * The file's DWARF (.debug_info and the sections it refers to), read and indexed on the first call and kept;
     * {@link DebugInfo#NONE} for a file built without -g, one whose sections cannot be read, or one that changed on
     * disk since it was first read (its debugging information would not match the symbols).
     */
    public synchronized DebugInfo debugInfo() {
        if (debugInfo == null) {
            debugInfo = readDebugInfo();
        }
        return debugInfo;
    }

    private DebugInfo readDebugInfo() {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ElfFile elf = ElfFile.from(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            if (elf.e_type != type || lowestLoadAddress(elf) != lowestLoadAddress) {
                return DebugInfo.NONE;
            }
            List<byte[]> sections = new ArrayList<>(DebugSections.NAMES.size());
            for (String name : DebugSections.NAMES) {
                sections.add(section(elf, name).map(Section::data).orElse(new byte[0]));
            }
            return sections.getFirst().length == 0 ? DebugInfo.NONE : DebugInfo.parse(DebugSections.of(sections));
        } catch (IOException | RuntimeException e) {
            // As in read: jelf reports a damaged file with unchecked exceptions.
            return DebugInfo.NONE;
        }
    }

    private static long lowestLoadAddress(ElfFile elf) {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < Short.toUnsignedInt(elf.e_phnum); i++) {
            ElfSegment s = elf.getProgramHeader(i);
            if (s.p_type == ElfSegment.PT_LOAD) {
                lowest = Math.min(lowest, s.p_vaddr);
            }
        }
        return lowest;
    }

    private static List<ElfSymbolEntry> symbols(ElfFile elf) throws ElfException {
        List<ElfSymbolEntry> out = new ArrayList<>();
        List<ElfSymbolTableSection> tables = new ArrayList<>(2);
        tables.add(elf.getSymbolTableSection());
        tables.add(elf.getDynamicSymbolTableSection());
        for (ElfSymbolTableSection table : tables) {
            if (table == null) {
                continue;
            }
            for (ElfSymbol s : table.symbols) {
                int kind = s.getType();
                boolean wanted = kind == ElfSymbol.STT_FUNC || kind == ElfSymbol.STT_OBJECT || kind == STT_GNU_IFUNC;
                int section = Short.toUnsignedInt(s.st_shndx);
                if (!wanted || section == 0 || section >= SHN_LORESERVE || s.st_value == 0) {
                    continue;
                }
                String name = s.getName();
                if (name != null && !name.isEmpty()) {
                    out.add(new ElfSymbolEntry(name, s.st_value, s.st_size, s.getBinding() == ElfSymbol.BINDING_GLOBAL,
                            kind != ElfSymbol.STT_OBJECT));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Section> section(ElfFile elf, String name) throws ElfException {
        ElfSection s = elf.firstSectionByName(name);
        if (s == null || s.header.sh_type == ElfSectionHeader.SHT_NOBITS) {
            return Optional.empty();
        }
        return Optional.of(new Section(s.header.sh_addr, s.getData()));
    }
}
