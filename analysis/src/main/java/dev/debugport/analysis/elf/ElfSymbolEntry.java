package dev.debugport.analysis.elf;

/**
 * One function or object symbol of an ELF symbol table, at its link-time address.
 *
 * @param name   st_name's string
 * @param value  st_value: the link-time address
 * @param size   st_size (0 when the table gives none)
 * @param global STB_GLOBAL binding (not weak or local)
 * @param code   a function (STT_FUNC or STT_GNU_IFUNC), not a data object
 */
public record ElfSymbolEntry(String name, long value, long size, boolean global, boolean code) {
}
