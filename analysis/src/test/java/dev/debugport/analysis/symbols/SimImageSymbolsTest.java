package dev.debugport.analysis.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.analysis.ModuleImage;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.ImageInfo;
import dev.debugport.kernel.ps.ProcessTraits;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.image.ImageLayout;
import dev.debugport.sim.image.SimExports;
import dev.debugport.sim.image.SimNtdll;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A ProcessSymbols over a simulated process's memory names what the sim uses, from the export directories of its
 * images: ntdll's routines (64-bit and WoW64), the exe's entry point and guest-code addresses, a DLL's entry point.
 */
class SimImageSymbolsTest {
    private final SimMachine machine = SimMachine.create();

    private ProcessSymbols symbolsOf(EProcess process) {
        ProcessSymbols symbols = new ProcessSymbols(process.memory()::read);
        List<ImageInfo> images = new ArrayList<>(process.loaderList());
        images.addAll(process.loaderList32());
        for (ImageInfo i : images) {
            symbols.moduleLoaded(ModuleImage.of(i.path(), i.base(), i.base() + i.size()));
        }
        return symbols;
    }

    @Test
    void nativeProcess() {
        EProcess p = machine.createHostProcess("symdemo", ProcessTraits.NATIVE);
        ProcessSymbols symbols = symbolsOf(p);
        long ntdll = ImageLayout.NTDLL_BASE;

        for (String routine : SimNtdll.rvas().keySet()) {
            assertEquals(OptionalLong.of(SimNtdll.address(ntdll, routine)), symbols.resolve("ntdll!" + routine), routine);
        }
        assertEquals(OptionalLong.of(SimNtdll.address(ntdll, SimNtdll.DBG_BREAK_POINT)), symbols.resolve("DbgBreakPoint"));
        assertEquals("ntdll!LdrpDoDebuggerBreak+0x2",
                symbols.describe(SimNtdll.address(ntdll, SimNtdll.LDRP_DO_DEBUGGER_BREAK) + SimNtdll.INITIAL_BREAKPOINT_OFFSET),
                "the initial breakpoint, as WinDbg names it");

        long exe = p.image().base();
        assertEquals(OptionalLong.of(p.image().entryPoint()), symbols.resolve("symdemo!" + SimExports.EXE_ENTRY));
        assertEquals("symdemo!GuestCode", symbols.describe(exe + ImageLayout.GUEST_CODE_RVA));
        assertEquals("symdemo!GuestRaiseReturn", symbols.describe(exe + ImageLayout.RAISE_RETURN_RVA));
        assertEquals("symdemo!GuestThreadStart+0x10",
                symbols.describe(exe + ImageLayout.THREAD_START_RVA + ImageLayout.THREAD_START_SLOT), "the second start routine");
        assertEquals(OptionalLong.of(ImageLayout.KERNEL32_BASE + ImageLayout.ENTRY_POINT_RVA),
                symbols.resolve("kernel32!" + SimExports.DLL_ENTRY));
        assertEquals(List.of("DbgBreakPoint", "DbgUiRemoteBreakin"),
                symbols.find("ntdll!dbg*").stream().map(s -> s.name()).toList());
    }

    @Test
    void wow64ProcessHasA32BitNtdllWithTheSameExports() {
        EProcess p = machine.createHostProcess("symdemo32", ProcessTraits.wow64I386());
        ProcessSymbols symbols = symbolsOf(p);
        long dbgBreakPoint32 = SimNtdll.address(ImageLayout.NTDLL32_BASE, SimNtdll.DBG_BREAK_POINT);
        assertEquals("ntdll!DbgBreakPoint", symbols.describe(dbgBreakPoint32));
        assertEquals("ntdll!DbgBreakPoint+0x1", symbols.describe(SimNtdll.address(ImageLayout.NTDLL_BASE, SimNtdll.DBG_BREAK_POINT) + 1));
        assertEquals(OptionalLong.of(p.image().entryPoint()), symbols.resolve("symdemo32!mainCRTStartup"));
    }
}
