package dev.debugport.analysis.dwarf;

import java.util.List;

/**
 * The function (DW_TAG_subprogram) containing a pc, as kp needs it.
 *
 * @param name       its name (DW_AT_name, or that of its abstract origin or declaration)
 * @param parameters its DW_TAG_formal_parameter children, in order
 * @param frameBase  its DW_AT_frame_base at the pc, which DW_OP_fbreg locations are relative to
 */
public record Subprogram(String name, List<Parameter> parameters, LocationDescription frameBase) {
    /**
     * One formal parameter.
     *
     * @param name     its name ("" for an unnamed one)
     * @param type     its type
     * @param location where its value is at the pc the subprogram was looked up for
     */
    public record Parameter(String name, DwarfType type, LocationDescription location) {
    }
}
