package dev.debugport.kd.host;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The target's kernel modules (PsLoadedModuleList) as last read: kd's symbols ({@code nt+0x1a0}) and module names. */
final class KdKernelModules {
    private List<KdModule> kernelModules = List.of();

    /** Reads the modules when the target has a debugger data block; without one there are none. */
    void load(KdHostClient connected) {
        try {
            KdTargetInfo info = new KdTargetInfo(connected);
            kernelModules = info.debuggerDataBlock().isPresent() ? info.kernelModules() : List.of();
        } catch (KdHostException e) {
            kernelModules = List.of();
        }
    }

    /** Reads the modules again (for {@code lm}). */
    List<KdModule> reload(KdTargetInfo info) {
        kernelModules = info.kernelModules();
        return kernelModules;
    }

    /** @return {@code module+0xoffset} for an address inside a kernel module */
    Optional<String> symbolFor(long address) {
        for (KdModule m : kernelModules) {
            if (m.contains(address)) {
                long off = address - m.base();
                return Optional.of(off == 0 ? m.moduleName() : m.moduleName() + String.format("+0x%x", off));
            }
        }
        return Optional.empty();
    }

    /** @return the base of the module named {@code name} (case-insensitive) */
    OptionalLong baseOf(String name) {
        for (KdModule m : kernelModules) {
            if (m.moduleName().equalsIgnoreCase(name)) {
                return OptionalLong.of(m.base());
            }
        }
        return OptionalLong.empty();
    }
}
