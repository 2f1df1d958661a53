package dev.debugport.debugger.commands;

import dev.debugport.debugger.Debugger;
import dev.debugport.debugger.format.Hex;
import dev.debugport.debugger.session.NtQueries;
import dev.debugport.debugger.target.Target;
import dev.debugport.debugger.target.TargetMemory;
import dev.debugport.debugger.target.TargetThread;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.Handle;
import dev.debugport.nt.InformationClass;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * !peb (the PEB fields a debugger and anti-debug code read) and !antidebug (every debugger-detection point of
 * spec/ecosystem.md A.3 that the platform has, with its current value as the debuggee would see it).
 */
final class InspectionCommands implements Command {
    /** TEB.ProcessEnvironmentBlock on x64. */
    private static final int TEB_PEB = 0x60;
    private static final int PEB_BEING_DEBUGGED = 0x2;
    private static final int PEB_IMAGE_BASE = 0x10;
    private static final int PEB_LDR = 0x18;
    private static final int PEB_PROCESS_PARAMETERS = 0x20;
    private static final int PEB_PROCESS_HEAP = 0x30;
    private static final int PEB_NT_GLOBAL_FLAG = 0xBC;
    /** _HEAP.Flags and ForceFlags (Vista and later, x64). */
    private static final int HEAP_FLAGS = 0x70;
    private static final int HEAP_FORCE_FLAGS = 0x74;
    /** KUSER_SHARED_DATA.KdDebuggerEnabled. */
    private static final long SHARED_KD_DEBUGGER_ENABLED = 0x7FFE02D4L;

    @Override
    public List<String> names() {
        return List.of("!peb", "!antidebug");
    }

    @Override
    public void execute(Debugger d, String name, String arguments) throws UsageException {
        UsageException.requireNone(arguments);
        Target target = d.requireTarget();
        OptionalLong peb = pebAddress(target);
        if (name.equals("!peb")) {
            peb(d, target, peb);
        } else {
            antiDebug(d, target, peb);
        }
    }

    private static OptionalLong pebAddress(Target target) {
        for (TargetThread t : target.threads()) {
            if (t.teb() != 0) {
                OptionalLong p = target.memory().readLong(t.teb() + TEB_PEB);
                if (p.isPresent() && p.getAsLong() != 0) {
                    return p;
                }
            }
        }
        return OptionalLong.empty();
    }

    private static void peb(Debugger d, Target target, OptionalLong peb) throws UsageException {
        if (peb.isEmpty()) {
            throw UsageException.cannot("PEB address is not known: no thread's TEB can be read");
        }
        long at = peb.getAsLong();
        TargetMemory m = target.memory();
        d.out().println("PEB at " + Hex.pointer(at));
        d.out().println("    BeingDebugged:            " + byteAt(m, at + PEB_BEING_DEBUGGED).map(b -> b != 0 ? "Yes" : "No").orElse("????"));
        d.out().println("    ImageBaseAddress:         " + pointer(m, at + PEB_IMAGE_BASE));
        d.out().println("    NtGlobalFlag:             " + intAt(m, at + PEB_NT_GLOBAL_FLAG).map(v -> "0x" + Integer.toHexString(v)).orElse("????????"));
        d.out().println("    Ldr                       " + pointer(m, at + PEB_LDR));
        d.out().println("    ProcessParameters:        " + pointer(m, at + PEB_PROCESS_PARAMETERS));
        d.out().println("    ProcessHeap:              " + pointer(m, at + PEB_PROCESS_HEAP));
    }

    private static void antiDebug(Debugger d, Target target, OptionalLong peb) {
        TargetMemory m = target.memory();
        NtQueries nt = d.session().queries();
        point(d, "PEB.BeingDebugged (IsDebuggerPresent)", peb.isEmpty() ? "PEB unknown"
                : byteAt(m, peb.getAsLong() + PEB_BEING_DEBUGGED).map(b -> Integer.toString(b)).orElse("unreadable"));
        point(d, "PEB.NtGlobalFlag", peb.isEmpty() ? "PEB unknown"
                : intAt(m, peb.getAsLong() + PEB_NT_GLOBAL_FLAG).map(v -> String.format("0x%x%s", v, (v & 0x70) == 0x70 ? " (heap checks: launched under a debugger)" : "")).orElse("unreadable"));
        Optional<Long> heap = peb.isEmpty() ? Optional.empty() : boxed(m.readLong(peb.getAsLong() + PEB_PROCESS_HEAP));
        if (heap.isPresent() && heap.get() != 0) {
            point(d, "ProcessHeap Flags / ForceFlags", intAt(m, heap.get() + HEAP_FLAGS).map(v -> String.format("0x%x", v)).orElse("unreadable")
                    + " / " + intAt(m, heap.get() + HEAP_FORCE_FLAGS).map(v -> String.format("0x%x", v)).orElse("unreadable"));
        } else {
            point(d, "ProcessHeap Flags / ForceFlags", "no process heap in the PEB");
        }
        NtQueries.Answer port = nt.queryProcess(target.handle(), InformationClass.ProcessDebugPort, 8);
        point(d, "ProcessDebugPort (CheckRemoteDebuggerPresent)", answer(port));
        NtQueries.Answer object = nt.queryProcess(target.handle(), InformationClass.ProcessDebugObjectHandle, 8);
        point(d, "ProcessDebugObjectHandle", object.status().isSuccess() ? "a handle (" + object.status() + ")" : "0, " + object.status());
        if (object.status().isSuccess() && object.value() != 0) {
            nt.close(Handle.of(object.value()));
        }
        point(d, "ProcessDebugFlags (1 = NoDebugInherit clear)", answer(nt.queryProcess(target.handle(), InformationClass.ProcessDebugFlags, 4)));
        var kd = nt.kernelDebugger();
        point(d, "SystemKernelDebuggerInformation", "KernelDebuggerEnabled=" + (kd.kdDebuggerEnabled() ? 1 : 0)
                + " KernelDebuggerNotPresent=" + (kd.kdDebuggerNotPresent() ? 1 : 0));
        point(d, "KUSER_SHARED_DATA.KdDebuggerEnabled", byteAt(m, SHARED_KD_DEBUGGER_ENABLED).map(b -> "0x" + Integer.toHexString(b)).orElse("not mapped"));
        for (TargetThread t : target.threads()) {
            NtQueries.Answer hidden = nt.queryThread(t.handle(), InformationClass.ThreadHideFromDebugger, 1);
            Optional<Amd64Context> ctx = t.context(d.session().kernel32());
            String drs = ctx.map(c -> String.format("DR0-3 %x %x %x %x DR7 %x", c.get(Amd64Register.DR0), c.get(Amd64Register.DR1),
                    c.get(Amd64Register.DR2), c.get(Amd64Register.DR3), c.get(Amd64Register.DR7))).orElse("context unreadable");
            point(d, "Thread " + Integer.toHexString(t.id()) + " ThreadHideFromDebugger / debug registers",
                    (hidden.status().isSuccess() ? Long.toString(hidden.value()) : hidden.status().toString()) + " / " + drs);
        }
        long int3s = d.session().breakpoints().softwareAddresses(target).size();
        point(d, "int3 bytes of the debugger in code (0xCC scans)", int3s + " breakpoint(s), written only while the target runs");
        for (String[] p : d.control().platformDetectionPoints(target.id())) {
            point(d, p[0], p[1]);
        }
    }

    private static void point(Debugger d, String name, String value) {
        d.out().println(String.format("%-58s %s", name, value));
    }

    private static String answer(NtQueries.Answer a) {
        return a.status().isSuccess() ? "0x" + Long.toHexString(a.value()) : a.status().toString();
    }

    private static Optional<Long> boxed(OptionalLong v) {
        return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
    }

    private static Optional<Integer> byteAt(TargetMemory m, long address) {
        byte[] b = new byte[1];
        return m.read(address, b, 0, 1) == 1 ? Optional.of(b[0] & 0xFF) : Optional.empty();
    }

    private static Optional<Integer> intAt(TargetMemory m, long address) {
        byte[] b = new byte[4];
        if (m.read(address, b, 0, 4) != 4) {
            return Optional.empty();
        }
        return Optional.of((b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24);
    }

    private static String pointer(TargetMemory m, long address) {
        OptionalLong v = m.readLong(address);
        return v.isPresent() ? Hex.pointer(v.getAsLong()) : "????????`????????";
    }
}
