package dev.debugport.sim;

import dev.debugport.kernel.ps.ProcessTraits;
import java.util.List;
import java.util.Objects;

/**
 * A guest program: what {@link SimPlatform#initializeProcess} maps and what the initial thread runs.
 *
 * @param name the program name; the image is {@code C:\sim\<name>.exe}
 * @param traits native, WoW64 ({@link ProcessTraits#wow64I386()}) or protected ({@link ProcessTraits#protectedAt})
 * @param imports static imports beyond kernel32/KernelBase, in load order (bare names resolve to the system
 *     directory of the program's bitness)
 * @param main the initial thread's code after the loader ran; null makes a host program, whose threads are
 *     driven by the Java code that owns them ({@link SimMachine#createHostProcess})
 */
public record SimProgram(String name, ProcessTraits traits, List<String> imports, GuestCode main) {
    public SimProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(traits, "traits");
        imports = List.copyOf(imports);
    }

    /** A native 64-bit program with no extra imports. */
    public static SimProgram of(String name, GuestCode main) {
        return new SimProgram(name, ProcessTraits.NATIVE, List.of(), main);
    }

    public SimProgram withTraits(ProcessTraits newTraits) {
        return new SimProgram(name, newTraits, imports, main);
    }

    public SimProgram withImports(String... dlls) {
        return new SimProgram(name, traits, List.of(dlls), main);
    }

    /** Whether this describes a host process (no guest code). */
    public boolean isHost() {
        return main == null;
    }
}
