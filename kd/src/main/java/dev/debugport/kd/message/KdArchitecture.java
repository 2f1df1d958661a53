package dev.debugport.kd.message;

/**
 * The target architecture, which fixes the layouts that differ between x86 and AMD64: the CONTEXT size,
 * the control report of a state change ({@code spec/kd.md} §7) and the control set of Continue2 (§6.2).
 */
public enum KdArchitecture {
    /** i386: {@code IMAGE_FILE_MACHINE_I386}, 716-byte CONTEXT, 32-bit control report and control set. */
    X86(0x014C, 0x2CC),
    /** x64: {@code IMAGE_FILE_MACHINE_AMD64}, 1232-byte CONTEXT, 64-bit control report and control set. */
    AMD64(0x8664, 0x4D0);

    private final int machineType;
    private final int contextSize;

    KdArchitecture(int machineType, int contextSize) {
        this.machineType = machineType;
        this.contextSize = contextSize;
    }

    /** @return the GetVersion MachineType */
    public int machineType() {
        return machineType;
    }

    /** @return sizeof(CONTEXT) in bytes */
    public int contextSize() {
        return contextSize;
    }
}
