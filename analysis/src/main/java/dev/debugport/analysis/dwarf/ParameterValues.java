package dev.debugport.analysis.dwarf;

import dev.debugport.analysis.MemoryWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parameters of a function in one stack frame, as cdb's kp prints them between the parentheses:
 * {@code int n = 0n5, char * s = 0x00005555`55556004}. Values are read where the DWARF locates them in that frame:
 * on the stack (DW_OP_fbreg from the frame base, DW_OP_breg*), in a register the frame knows (DW_OP_reg*: every
 * integer register in frame 0, the callee-saved ones in callers), or given outright (DW_OP_stack_value,
 * DW_AT_const_value). A struct passed by value shows its address. What cannot be recovered, such as a register a
 * call has since reused or a floating-point register (the context has no XMM state), shows as {@code <value
 * unavailable>}.
 */
public final class ParameterValues {
    private ParameterValues() {
    }

    /**
     * {@code type name = value} for each parameter of {@code function} in {@code frame} (whose frame base is
     * computed here from the function's DW_AT_frame_base).
     */
    public static List<String> describe(Subprogram function, ExpressionFrame frame) {
        ExpressionFrame inFunction = frame.withFrameBase(frameBase(function.frameBase(), frame));
        List<String> out = new ArrayList<>(function.parameters().size());
        for (Subprogram.Parameter p : function.parameters()) {
            String declared = p.name().isEmpty() ? p.type().name() : p.type().name() + " " + p.name();
            out.add(declared + " = " + value(p, inFunction));
        }
        return out;
    }

    /** DW_AT_frame_base: gcc's DW_OP_call_frame_cfa gives the CFA; an older DW_OP_reg6 gives rbp's value. */
    private static OptionalLong frameBase(LocationDescription description, ExpressionFrame frame) {
        if (!(description instanceof LocationDescription.Expression(byte[] code, int start, int end))) {
            return OptionalLong.empty();
        }
        return switch (DwarfExpression.locate(code, start, end, frame)) {
            case Location.InMemory(long address) -> OptionalLong.of(address);
            case Location.InRegister(int register) -> frame.registers().value(register);
            case Location.Value(long value) -> OptionalLong.of(value);
            case Location.Unavailable u -> OptionalLong.empty();
        };
    }

    private static String value(Subprogram.Parameter p, ExpressionFrame frame) {
        DwarfType type = p.type();
        if (type.kind() == DwarfType.Kind.AGGREGATE) {
            // kp shows a struct passed by value by where it lies, not by its members.
            return p.location() instanceof LocationDescription.Expression(byte[] code, int start, int end)
                    && DwarfExpression.locate(code, start, end, frame) instanceof Location.InMemory(long address)
                    ? ValueText.pointer(address) : ValueText.UNAVAILABLE;
        }
        Optional<byte[]> bytes = switch (p.location()) {
            case LocationDescription.Constant(byte[] constant) -> Optional.of(constant);
            case LocationDescription.None n -> Optional.empty();
            case LocationDescription.Expression(byte[] code, int start, int end) ->
                    bytes(DwarfExpression.locate(code, start, end, frame), type.size(), frame);
        };
        return bytes.map(b -> ValueText.of(type, b)).orElse(ValueText.UNAVAILABLE);
    }

    private static Optional<byte[]> bytes(Location where, int size, ExpressionFrame frame) {
        return switch (where) {
            case Location.InMemory(long address) -> size > 0 && size <= 16 ? MemoryWords.read(frame.memory(), address, size) : Optional.empty();
            case Location.InRegister(int register) -> {
                OptionalLong v = frame.registers().value(register);
                yield v.isPresent() ? Optional.of(MemoryWords.littleEndian(v.getAsLong())) : Optional.empty();
            }
            case Location.Value(long value) -> Optional.of(MemoryWords.littleEndian(value));
            case Location.Unavailable u -> Optional.empty();
        };
    }
}
