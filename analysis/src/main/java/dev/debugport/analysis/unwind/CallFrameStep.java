package dev.debugport.analysis.unwind;

import dev.debugport.analysis.MemoryReader;
import dev.debugport.analysis.MemoryWords;
import dev.debugport.analysis.StackFrame;
import dev.debugport.analysis.dwarf.DwarfExpression;
import dev.debugport.analysis.dwarf.ExpressionFrame;
import dev.debugport.analysis.dwarf.MalformedDwarfException;
import java.util.OptionalLong;

/**
 * One unwind step with call-frame information: the row of the FDE at the frame's pc gives the CFA and where each of
 * the caller's registers was saved (what RtlVirtualUnwind does with .pdata on Windows, done with .eh_frame here).
 */
final class CallFrameStep {
    private final MemoryReader memory;

    CallFrameStep(MemoryReader memory) {
        this.memory = memory;
    }

    Step unwind(Registers frame, UnwindTables.Found found) {
        UnwindRow row;
        try {
            row = CfaInterpreter.rowAt(found.table().section(), found.fde(), found.linkTimePc());
        } catch (MalformedDwarfException e) {
            return new Step.Unknown();
        }
        byte[] section = found.table().section();
        OptionalLong cfa = switch (row.cfa()) {
            case CfaRule.RegisterOffset(int register, long offset) ->
                    frame.known(register) ? OptionalLong.of(frame.get(register) + offset) : OptionalLong.empty();
            case CfaRule.Expression(int start, int end) ->
                    DwarfExpression.evaluate(section, start, end, OptionalLong.empty(), ExpressionFrame.ofRegisters(frame, memory));
        };
        int ra = found.fde().cie().returnRegister();
        if (cfa.isEmpty() || ra >= CfaInterpreter.COLUMNS || row.rules()[ra] == null) {
            return new Step.Unknown();
        }
        long c = cfa.getAsLong();
        RegisterRule raRule = row.rules()[ra];
        long argumentsAt = raRule instanceof RegisterRule.Offset(long offset) ? c + offset + 8 : c;
        if (raRule instanceof RegisterRule.Undefined) {
            return new Step.Outermost(argumentsAt, c);
        }
        Registers caller = frame.callerDefaults();
        caller.set(Registers.RSP, c);
        for (int column = 0; column < CfaInterpreter.COLUMNS; column++) {
            RegisterRule rule = row.rules()[column];
            if (rule != null) {
                apply(rule, column, c, frame, caller, section);
            }
        }
        if (!caller.known(ra)) {
            return new Step.Unknown();
        }
        caller.set(Registers.RIP, caller.get(ra));
        return new Step.Caller(caller, argumentsAt, StackFrame.Method.CALL_FRAME_INFORMATION, found.fde().cie().signalFrame());
    }

    private void apply(RegisterRule rule, int column, long cfa, Registers frame, Registers caller, byte[] section) {
        OptionalLong value = switch (rule) {
            case RegisterRule.Undefined() -> OptionalLong.empty();
            case RegisterRule.SameValue() -> frame.known(column) ? OptionalLong.of(frame.get(column)) : OptionalLong.empty();
            case RegisterRule.Offset(long offset) -> MemoryWords.qword(memory, cfa + offset);
            case RegisterRule.ValOffset(long offset) -> OptionalLong.of(cfa + offset);
            case RegisterRule.InRegister(int other) -> frame.known(other) ? OptionalLong.of(frame.get(other)) : OptionalLong.empty();
            case RegisterRule.AtExpression(int start, int end) -> {
                OptionalLong at = DwarfExpression.evaluate(section, start, end, OptionalLong.of(cfa), ExpressionFrame.ofRegisters(frame, memory));
                yield at.isPresent() ? MemoryWords.qword(memory, at.getAsLong()) : at;
            }
            case RegisterRule.IsExpression(int start, int end) ->
                    DwarfExpression.evaluate(section, start, end, OptionalLong.of(cfa), ExpressionFrame.ofRegisters(frame, memory));
        };
        if (value.isPresent()) {
            caller.set(column, value.getAsLong());
        } else {
            caller.forget(column);
        }
    }
}
