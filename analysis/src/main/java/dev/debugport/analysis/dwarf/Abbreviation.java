package dev.debugport.analysis.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of .debug_abbrev: the tag and attribute layout that debugging information entries with its code follow.
 *
 * @param tag         DW_TAG_*
 * @param hasChildren DW_CHILDREN_yes
 * @param attributes  the attributes in the order the entry stores them
 */
record Abbreviation(int tag, boolean hasChildren, List<Spec> attributes) {
    /**
     * One attribute's name and form.
     *
     * @param implicitConstant the value of a DW_FORM_implicit_const attribute, which the entry does not store
     */
    record Spec(int attribute, int form, long implicitConstant) {
    }

    /** The abbreviation table at {@code offset} of .debug_abbrev, by code; a damaged table throws. */
    static Map<Long, Abbreviation> table(byte[] abbrev, long offset) {
        if (offset < 0 || offset > abbrev.length) {
            throw new MalformedDwarfException("abbreviation table at " + offset + " outside .debug_abbrev");
        }
        DwarfReader r = new DwarfReader(abbrev, 0, (int) offset, abbrev.length);
        Map<Long, Abbreviation> table = new HashMap<>();
        while (true) {
            long code = r.uleb128();
            if (code == 0) {
                return table;
            }
            int tag = (int) r.uleb128();
            boolean children = r.u8() != 0;
            List<Spec> specs = new ArrayList<>();
            while (true) {
                int attribute = (int) r.uleb128();
                int form = (int) r.uleb128();
                if (attribute == 0 && form == 0) {
                    break;
                }
                long implicit = form == DwarfConstants.FORM_IMPLICIT_CONST ? r.sleb128() : 0;
                specs.add(new Spec(attribute, form, implicit));
            }
            table.put(code, new Abbreviation(tag, children, List.copyOf(specs)));
        }
    }
}
