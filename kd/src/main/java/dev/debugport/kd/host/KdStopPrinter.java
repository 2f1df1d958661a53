package dev.debugport.kd.host;

import dev.debugport.kd.message.ExceptionRecord64;
import java.util.Map;
import java.util.Optional;

/** kd's view of where the target is: a stop's exception line, then the symbol and the instruction at the PC. */
record KdStopPrinter(KdTarget target, KdKernelModules modules, KdConsole console) {
    private static final Map<Integer, String> EXCEPTION_NAMES = Map.of(
            0x80000003, "Break instruction exception",
            0x80000004, "Single step exception",
            0xC0000005, "Access violation",
            0xC0000420, "Assertion failure",
            0xC000001D, "Illegal instruction",
            0xC0000094, "Integer divide-by-zero",
            0xC00000FD, "Stack overflow",
            0xE06D7363, "C++ EH exception");

    /** Prints a stop as kd does: the exception line, the symbol, the instruction at the PC. */
    void printStop(KdStateChange stop) {
        StringBuilder b = new StringBuilder();
        Optional<ExceptionRecord64> e = stop.exception();
        if (e.isPresent()) {
            int code = e.get().exceptionCode();
            b.append(EXCEPTION_NAMES.getOrDefault(code, "Unknown exception"))
                    .append(String.format(" - code %08x (%s)", code, stop.firstChance() ? "first chance" : "!!! second chance !!!"))
                    .append(System.lineSeparator());
        }
        modules.symbolFor(stop.pc()).ifPresent(s -> b.append(s).append(':').append(System.lineSeparator()));
        b.append(KdFormat.instructionLine(stop.pc(), stop.instructionStream().toByteArray(), target.arch()));
        console.println(b.toString());
    }

    /** Prints the symbol and the instruction at {@code pc}, read from the target (the last lines of {@code r}). */
    void printInstructionAt(long pc) {
        byte[] code = target.connected().readVirtual(pc, 16);
        modules.symbolFor(pc).ifPresent(s -> console.println(s + ":"));
        console.println(KdFormat.instructionLine(pc, code, target.arch()));
    }
}
