package dev.debugport.analysis.disasm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Capstone 4 C API through FFM (Debian's libcapstone4: libcapstone.so.4), bound by hand: only the calls the
 * disassembler makes. Loaded once per JVM; the handles are stateless and usable from any thread.
 *
 * <pre>
 * unsigned int cs_version(int *major, int *minor);
 * cs_err cs_open(cs_arch arch, cs_mode mode, csh *handle);          csh = size_t
 * cs_err cs_option(csh handle, cs_opt_type type, size_t value);
 * size_t cs_disasm(csh handle, const uint8_t *code, size_t code_size, uint64_t address, size_t count, cs_insn **insn);
 * void cs_free(cs_insn *insn, size_t count);
 * cs_err cs_close(csh *handle);
 * const char *cs_strerror(cs_err code);
 *
 * cs_insn (240 bytes in 4.0.2): id u32 @0, address u64 @8, size u16 @16, bytes[16] @18, mnemonic[32] @34,
 *   op_str[160] @66, detail pointer @232
 * </pre>
 */
final class Capstone {
    static final String LIBRARY = "libcapstone.so.4";
    static final int CS_ARCH_X86 = 3;
    static final int CS_MODE_64 = 1 << 3;
    static final int CS_OPT_SYNTAX = 1;
    static final int CS_OPT_SYNTAX_INTEL = 1;
    static final int CS_ERR_OK = 0;

    static final long INSN_SIZE = 240;
    static final long INSN_ADDRESS = 8;
    static final long INSN_LENGTH = 16;
    static final long INSN_MNEMONIC = 34;
    static final long INSN_OPERANDS = 66;
    static final long MNEMONIC_BYTES = 32;
    static final long OPERAND_BYTES = 160;

    final MethodHandle csVersion;
    final MethodHandle csOpen;
    final MethodHandle csOption;
    final MethodHandle csDisasm;
    final MethodHandle csFree;
    final MethodHandle csClose;
    final MethodHandle csStrerror;

    private static final class Holder {
        static final Capstone INSTANCE;
        static final String FAILURE;

        static {
            Capstone loaded = null;
            String failure = null;
            try {
                loaded = new Capstone(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
            } catch (IllegalArgumentException | IllegalCallerException | java.util.NoSuchElementException e) {
                failure = e.getMessage();
            }
            INSTANCE = loaded;
            FAILURE = failure;
        }
    }

    private Capstone(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfLong sizeT = ValueLayout.JAVA_LONG;
        csVersion = linker.downcallHandle(lib.findOrThrow("cs_version"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        csOpen = linker.downcallHandle(lib.findOrThrow("cs_open"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        csOption = linker.downcallHandle(lib.findOrThrow("cs_option"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, sizeT, ValueLayout.JAVA_INT, sizeT));
        csDisasm = linker.downcallHandle(lib.findOrThrow("cs_disasm"),
                FunctionDescriptor.of(sizeT, sizeT, ValueLayout.ADDRESS, sizeT, ValueLayout.JAVA_LONG, sizeT, ValueLayout.ADDRESS));
        csFree = linker.downcallHandle(lib.findOrThrow("cs_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, sizeT));
        csClose = linker.downcallHandle(lib.findOrThrow("cs_close"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        csStrerror = linker.downcallHandle(lib.findOrThrow("cs_strerror"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /**
     * The bindings.
     *
     * @throws IllegalStateException naming the library and the Debian package when it cannot be loaded
     */
    static Capstone load() {
        if (Holder.INSTANCE == null) {
            throw new IllegalStateException("cannot load " + LIBRARY + " (Capstone 4; on Debian: apt-get install libcapstone4): "
                    + Holder.FAILURE);
        }
        return Holder.INSTANCE;
    }

    /** cs_strerror's text for {@code error}. */
    String errorText(int error) {
        try {
            MemorySegment text = (MemorySegment) csStrerror.invokeExact(error);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("cs_strerror failed", t);
        }
    }
}
