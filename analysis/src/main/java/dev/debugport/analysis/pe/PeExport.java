package dev.debugport.analysis.pe;

/**
 * One entry of a PE image's export directory.
 *
 * @param name    the exported name, or {@code Ordinal<n>} for an export by ordinal only
 * @param ordinal the export's ordinal (its index in AddressOfFunctions plus the directory's Base)
 * @param rva     where it is, relative to the image base
 */
public record PeExport(String name, int ordinal, long rva) {
}
