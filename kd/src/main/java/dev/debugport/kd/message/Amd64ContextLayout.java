package dev.debugport.kd.message;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The wire image of an AMD64 {@code CONTEXT} (1232 bytes, {@code spec/kd.md} §6.5): the extra data of a
 * GetContext reply and of a SetContext request, and the window GetContextEx / SetContextEx address.
 * Converts between that image and {@link Amd64Context}, which models the integer, control, segment and
 * debug registers.
 *
 * <pre>
 *  offset  size  field                      offset  size  field
 *  0x000   6x8   P1Home..P6Home             0x078   8     Rax
 *  0x030   u32   ContextFlags               0x080   8     Rcx
 *  0x034   u32   MxCsr                      0x088   8     Rdx
 *  0x038   u16   SegCs                      0x090   8     Rbx
 *  0x03A   u16   SegDs                      0x098   8     Rsp
 *  0x03C   u16   SegEs                      0x0A0   8     Rbp
 *  0x03E   u16   SegFs                      0x0A8   8     Rsi
 *  0x040   u16   SegGs                      0x0B0   8     Rdi
 *  0x042   u16   SegSs                      0x0B8   8x8   R8..R15
 *  0x044   u32   EFlags                     0x0F8   8     Rip
 *  0x048   8     Dr0                        0x100   512   FltSave (FXSAVE image)
 *  0x050   8     Dr1                        0x300   26x16 VectorRegister
 *  0x058   8     Dr2                        0x4A0   8     VectorControl
 *  0x060   8     Dr3                        0x4A8   8     DebugControl
 *  0x068   8     Dr6                        0x4B0   4x8   LastBranchToRip .. LastExceptionFromRip
 *  0x070   8     Dr7                        0x4D0         end
 * </pre>
 *
 * Fields {@link Amd64Context} does not model (P*Home, MxCsr, FltSave, vector and branch registers) are
 * written as zero by {@link #encode} and kept by {@link #overlay}.
 */
public final class Amd64ContextLayout {

    /** sizeof(CONTEXT) on AMD64. */
    public static final int SIZE = 0x4D0;
    /** Offset of ContextFlags. */
    public static final int CONTEXT_FLAGS = 0x30;

    private static final Map<Amd64Register, Integer> OFFSETS = new EnumMap<>(Amd64Register.class);

    static {
        Amd64Register[] integer = {
            Amd64Register.RAX, Amd64Register.RCX, Amd64Register.RDX, Amd64Register.RBX,
            Amd64Register.RSP, Amd64Register.RBP, Amd64Register.RSI, Amd64Register.RDI,
            Amd64Register.R8, Amd64Register.R9, Amd64Register.R10, Amd64Register.R11,
            Amd64Register.R12, Amd64Register.R13, Amd64Register.R14, Amd64Register.R15,
        };
        for (int i = 0; i < integer.length; i++) {
            OFFSETS.put(integer[i], 0x78 + 8 * i);
        }
        OFFSETS.put(Amd64Register.RIP, 0xF8);
        OFFSETS.put(Amd64Register.EFLAGS, 0x44);
        OFFSETS.put(Amd64Register.CS, 0x38);
        OFFSETS.put(Amd64Register.DS, 0x3A);
        OFFSETS.put(Amd64Register.ES, 0x3C);
        OFFSETS.put(Amd64Register.FS, 0x3E);
        OFFSETS.put(Amd64Register.GS, 0x40);
        OFFSETS.put(Amd64Register.SS, 0x42);
        OFFSETS.put(Amd64Register.DR0, 0x48);
        OFFSETS.put(Amd64Register.DR1, 0x50);
        OFFSETS.put(Amd64Register.DR2, 0x58);
        OFFSETS.put(Amd64Register.DR3, 0x60);
        OFFSETS.put(Amd64Register.DR6, 0x68);
        OFFSETS.put(Amd64Register.DR7, 0x70);
    }

    private Amd64ContextLayout() {
    }

    /** @return the offset of {@code register} in the CONTEXT image */
    public static int offsetOf(Amd64Register register) {
        return OFFSETS.get(register);
    }

    /** @return the width of {@code register} in bytes: 2 for selectors, 4 for EFlags, else 8 */
    public static int sizeOf(Amd64Register register) {
        if (register.isSegment()) {
            return 2;
        }
        return register == Amd64Register.EFLAGS ? 4 : 8;
    }

    /** @return a 1232-byte image of {@code context}, zero where the context has no field */
    public static ByteString encode(Amd64Context context) {
        return overlay(ByteString.zeros(SIZE), context);
    }

    /**
     * @return {@code image} with ContextFlags and every modelled register replaced by those of
     *         {@code context}; the other bytes are kept
     * @throws IllegalArgumentException if {@code image} is shorter than {@link #SIZE}
     */
    public static ByteString overlay(ByteString image, Amd64Context context) {
        if (image.length() < SIZE) {
            throw new IllegalArgumentException("an AMD64 CONTEXT is " + SIZE + " bytes, got " + image.length());
        }
        ByteBuffer b = ByteBuffer.wrap(image.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(CONTEXT_FLAGS, context.contextFlags());
        for (Map.Entry<Amd64Register, Integer> e : OFFSETS.entrySet()) {
            long value = context.get(e.getKey());
            switch (sizeOf(e.getKey())) {
                case 2 -> b.putShort(e.getValue(), (short) value);
                case 4 -> b.putInt(e.getValue(), (int) value);
                default -> b.putLong(e.getValue(), value);
            }
        }
        return ByteString.of(b.array());
    }

    /** @return the context in {@code image}, or empty if it is shorter than {@link #SIZE} */
    public static Optional<Amd64Context> decode(ByteString image) {
        if (image.length() < SIZE) {
            return Optional.empty();
        }
        ByteBuffer b = image.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        Amd64Context context = Amd64Context.zero().withContextFlags(b.getInt(CONTEXT_FLAGS));
        for (Map.Entry<Amd64Register, Integer> e : OFFSETS.entrySet()) {
            long value = switch (sizeOf(e.getKey())) {
                case 2 -> Short.toUnsignedLong(b.getShort(e.getValue()));
                case 4 -> Integer.toUnsignedLong(b.getInt(e.getValue()));
                default -> b.getLong(e.getValue());
            };
            context = context.with(e.getKey(), value);
        }
        return Optional.of(context);
    }
}
