package dev.debugport.debugger.expr;

import java.util.OptionalLong;

/** What an expression can name: registers of the current thread, symbols of the current process, its memory. */
public interface ExpressionContext {
    /** The value of a register ({@code rax}, {@code efl}, {@code rip}...), empty when {@code name} is not one. */
    OptionalLong register(String name);

    /** The address of {@code module!symbol}, a bare symbol or a module name (its base), empty when unknown. */
    OptionalLong symbol(String name);

    /** The pointer-sized value at {@code address} (poi), empty when it cannot be read. */
    OptionalLong readPointer(long address);
}
