package dev.debugport.analysis.disasm;

import dev.debugport.analysis.Disassembler;
import dev.debugport.analysis.Instruction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * An x86-64 disassembler (cdb's {@code u}, and the instruction a step decides on) over Capstone 4 through FFM:
 * 64-bit mode, Intel syntax. Each instance owns one Capstone handle; {@link #close()} releases it.
 *
 * <p>Not for concurrent use: Capstone's handle keeps per-call state, so {@link #decode} is synchronized and one
 * instance serves one thread at a time (the debugger's command thread).
 */
public final class CapstoneDisassembler implements Disassembler {
    private final Capstone cs;
    /** The csh handle (a size_t), 0 once closed. */
    private long handle;
    /**
     * Native memory kept from call to call (decode is synchronized): the code buffer and cs_disasm's result slot. A
     * single step decodes one instruction, and a fresh arena per call was a good part of that work.
     */
    private final Arena buffers;
    private final MemorySegment insnOut;
    private MemorySegment input;

    /**
     * Opens a Capstone handle for x86-64.
     *
     * @throws IllegalStateException if libcapstone.so.4 cannot be loaded or is not Capstone 4, or cs_open fails
     */
    public CapstoneDisassembler() {
        cs = Capstone.load();
        buffers = Arena.ofShared();
        insnOut = buffers.allocate(ValueLayout.ADDRESS);
        input = buffers.allocate(64);
        try (Arena temp = Arena.ofConfined()) {
            int version = (int) cs.csVersion.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
            if (version >>> 8 != 4) {
                throw new IllegalStateException(Capstone.LIBRARY + " is Capstone " + (version >>> 8) + "." + (version & 0xFF)
                        + "; the instruction layout read here is Capstone 4's");
            }
            MemorySegment out = temp.allocate(ValueLayout.JAVA_LONG);
            int err = (int) cs.csOpen.invokeExact(Capstone.CS_ARCH_X86, Capstone.CS_MODE_64, out);
            if (err != Capstone.CS_ERR_OK) {
                throw new IllegalStateException("cs_open failed: " + cs.errorText(err));
            }
            handle = out.get(ValueLayout.JAVA_LONG, 0);
            err = (int) cs.csOption.invokeExact(handle, Capstone.CS_OPT_SYNTAX, (long) Capstone.CS_OPT_SYNTAX_INTEL);
            if (err != Capstone.CS_ERR_OK) {
                close();
                throw new IllegalStateException("cs_option(CS_OPT_SYNTAX, Intel) failed: " + cs.errorText(err));
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        } catch (Throwable t) {
            close();
            throw new IllegalStateException("Capstone call failed", t);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized List<Instruction> decode(byte[] code, long address, int maxCount) {
        if (handle == 0) {
            throw new IllegalStateException("disassembler closed");
        }
        if (maxCount <= 0 || code.length == 0) {
            return List.of();
        }
        try {
            if (input.byteSize() < code.length) {
                // Grows by doubling, so that what stays allocated until close() is at most twice the largest input.
                input = buffers.allocate(Math.max(code.length, input.byteSize() * 2));
            }
            MemorySegment.copy(code, 0, input, ValueLayout.JAVA_BYTE, 0, code.length);
            long count = (long) cs.csDisasm.invokeExact(handle, input, (long) code.length, address, (long) maxCount, insnOut);
            if (count <= 0) {
                return List.of();
            }
            MemorySegment insns = insnOut.get(ValueLayout.ADDRESS, 0).reinterpret(count * Capstone.INSN_SIZE);
            try {
                return read(insns, count, code, address);
            } finally {
                cs.csFree.invokeExact(insns, count);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cs_disasm failed", t);
        }
    }

    private static List<Instruction> read(MemorySegment insns, long count, byte[] code, long address) {
        List<Instruction> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            MemorySegment insn = insns.asSlice(i * Capstone.INSN_SIZE, Capstone.INSN_SIZE);
            long at = insn.get(ValueLayout.JAVA_LONG, Capstone.INSN_ADDRESS);
            int length = Short.toUnsignedInt(insn.get(ValueLayout.JAVA_SHORT, Capstone.INSN_LENGTH));
            String mnemonic = insn.asSlice(Capstone.INSN_MNEMONIC, Capstone.MNEMONIC_BYTES).getString(0);
            String operands = insn.asSlice(Capstone.INSN_OPERANDS, Capstone.OPERAND_BYTES).getString(0);
            int offset = (int) (at - address);
            byte[] bytes = Arrays.copyOfRange(code, offset, offset + length);
            Instruction.Kind kind = ControlFlow.kind(mnemonic);
            OptionalLong target = ControlFlow.target(kind, operands);
            out.add(new Instruction(at, bytes, mnemonic, operands, kind, target));
        }
        return out;
    }

    /** cs_close; further {@link #decode} calls throw. Idempotent. */
    @Override
    public synchronized void close() {
        if (handle == 0) {
            if (buffers.scope().isAlive()) {
                buffers.close();
            }
            return;
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment h = temp.allocate(ValueLayout.JAVA_LONG);
            h.set(ValueLayout.JAVA_LONG, 0, handle);
            // cs_close fails only for a handle it does not know, which this one cannot be.
            int err = (int) cs.csClose.invokeExact(h);
            assert err == Capstone.CS_ERR_OK;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cs_close failed", t);
        } finally {
            handle = 0;
            buffers.close();
        }
    }
}
