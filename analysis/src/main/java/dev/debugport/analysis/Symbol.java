package dev.debugport.analysis;

/**
 * A symbol at its address in the debuggee.
 *
 * @param module  the module it belongs to
 * @param name    its name, without the module prefix
 * @param address its absolute address in the debuggee
 * @param size    its size in bytes (0 when the table gives none)
 */
public record Symbol(ModuleImage module, String name, long address, long size) {
    /** {@code module!name}, as cdb names it. */
    public String qualifiedName() {
        return module.name() + "!" + name;
    }
}
