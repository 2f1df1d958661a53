package dev.debugport.analysis.dwarf;

/** The DWARF 5 tag, attribute, form and encoding numbers these readers use (DWARF 5 section 7.5). */
final class DwarfConstants {
    private DwarfConstants() {
    }

    static final int TAG_ARRAY_TYPE = 0x01;
    static final int TAG_CLASS_TYPE = 0x02;
    static final int TAG_ENUMERATION_TYPE = 0x04;
    static final int TAG_FORMAL_PARAMETER = 0x05;
    static final int TAG_POINTER_TYPE = 0x0F;
    static final int TAG_REFERENCE_TYPE = 0x10;
    static final int TAG_STRUCTURE_TYPE = 0x13;
    static final int TAG_SUBROUTINE_TYPE = 0x15;
    static final int TAG_TYPEDEF = 0x16;
    static final int TAG_UNION_TYPE = 0x17;
    static final int TAG_BASE_TYPE = 0x24;
    static final int TAG_CONST_TYPE = 0x26;
    static final int TAG_SUBPROGRAM = 0x2E;
    static final int TAG_VOLATILE_TYPE = 0x35;
    static final int TAG_RESTRICT_TYPE = 0x37;
    static final int TAG_RVALUE_REFERENCE_TYPE = 0x42;
    static final int TAG_ATOMIC_TYPE = 0x47;

    static final int AT_LOCATION = 0x02;
    static final int AT_NAME = 0x03;
    static final int AT_BYTE_SIZE = 0x0B;
    static final int AT_LOW_PC = 0x11;
    static final int AT_HIGH_PC = 0x12;
    static final int AT_CONST_VALUE = 0x1C;
    static final int AT_ABSTRACT_ORIGIN = 0x31;
    static final int AT_ENCODING = 0x3E;
    static final int AT_FRAME_BASE = 0x40;
    static final int AT_SPECIFICATION = 0x47;
    static final int AT_TYPE = 0x49;
    static final int AT_RANGES = 0x55;
    static final int AT_STR_OFFSETS_BASE = 0x72;
    static final int AT_ADDR_BASE = 0x73;
    static final int AT_RNGLISTS_BASE = 0x74;
    static final int AT_LOCLISTS_BASE = 0x8C;

    static final int FORM_ADDR = 0x01;
    static final int FORM_BLOCK2 = 0x03;
    static final int FORM_BLOCK4 = 0x04;
    static final int FORM_DATA2 = 0x05;
    static final int FORM_DATA4 = 0x06;
    static final int FORM_DATA8 = 0x07;
    static final int FORM_STRING = 0x08;
    static final int FORM_BLOCK = 0x09;
    static final int FORM_BLOCK1 = 0x0A;
    static final int FORM_DATA1 = 0x0B;
    static final int FORM_FLAG = 0x0C;
    static final int FORM_SDATA = 0x0D;
    static final int FORM_STRP = 0x0E;
    static final int FORM_UDATA = 0x0F;
    static final int FORM_REF_ADDR = 0x10;
    static final int FORM_REF1 = 0x11;
    static final int FORM_REF2 = 0x12;
    static final int FORM_REF4 = 0x13;
    static final int FORM_REF8 = 0x14;
    static final int FORM_REF_UDATA = 0x15;
    static final int FORM_INDIRECT = 0x16;
    static final int FORM_SEC_OFFSET = 0x17;
    static final int FORM_EXPRLOC = 0x18;
    static final int FORM_FLAG_PRESENT = 0x19;
    static final int FORM_STRX = 0x1A;
    static final int FORM_ADDRX = 0x1B;
    static final int FORM_REF_SUP4 = 0x1C;
    static final int FORM_STRP_SUP = 0x1D;
    static final int FORM_DATA16 = 0x1E;
    static final int FORM_LINE_STRP = 0x1F;
    static final int FORM_REF_SIG8 = 0x20;
    static final int FORM_IMPLICIT_CONST = 0x21;
    static final int FORM_LOCLISTX = 0x22;
    static final int FORM_RNGLISTX = 0x23;
    static final int FORM_REF_SUP8 = 0x24;
    static final int FORM_STRX1 = 0x25;
    static final int FORM_STRX4 = 0x28;
    static final int FORM_ADDRX1 = 0x29;
    static final int FORM_ADDRX4 = 0x2C;

    static final int ATE_BOOLEAN = 0x02;
    static final int ATE_FLOAT = 0x04;
    static final int ATE_SIGNED = 0x05;
    static final int ATE_SIGNED_CHAR = 0x06;
    static final int ATE_UNSIGNED = 0x07;
    static final int ATE_UNSIGNED_CHAR = 0x08;
    static final int ATE_UTF = 0x10;
}
