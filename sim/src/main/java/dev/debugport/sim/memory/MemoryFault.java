package dev.debugport.sim.memory;

/**
 * A guest access that the page map refused: the first inaccessible byte and the kind of access. It becomes a
 * STATUS_ACCESS_VIOLATION with ExceptionInformation {kind.code(), address}.
 */
public record MemoryFault(long address, AccessKind kind) {
}
