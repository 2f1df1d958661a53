package dev.debugport.kd.host;

import java.util.List;

/** kd's listings of what the target has loaded and runs: {@code lm} and {@code !process 0 0}. */
record KdTargetListings(KdTarget target, KdConsole console, KdKernelModules modules) {
    /** {@code lm}: kernel modules (PsLoadedModuleList) and the current process's modules. */
    void listModules() {
        KdHostClient c = target.stopped();
        KdTargetInfo info = new KdTargetInfo(c);
        List<KdModule> kernelModules = modules.reload(info);
        int width = target.addr(0).length();
        console.println(String.format("%-" + width + "s %-" + width + "s   module name", "start", "end"));
        for (KdModule m : kernelModules) {
            printModule(m);
        }
        KdStateChange stop = c.currentStop();
        if (stop != null && stop.thread() != 0) {
            long process = info.processOfThread(stop.thread());
            for (KdModule m : info.userModules(process)) {
                printModule(m);
            }
        }
    }

    private void printModule(KdModule m) {
        console.println(String.format("%s %s   %-10s (no symbols)", target.addr(m.base()), target.addr(m.end()), m.moduleName()));
    }

    /** {@code !process 0 0}: every process (PsActiveProcessHead). */
    void processes(String args) {
        String a = args.trim();
        if (!a.isEmpty() && !a.matches("0\\s+0")) {
            throw new KdHostException("only '!process 0 0' is supported");
        }
        KdHostClient c = target.stopped();
        console.println("**** NT ACTIVE PROCESS DUMP ****");
        for (KdProcessInfo p : new KdTargetInfo(c).processes()) {
            console.println("PROCESS " + target.addr(p.eprocess()));
            console.println(String.format("    SessionId: none  Cid: %04x    Peb: %08x  ParentCid: %04x", p.pid(), p.peb(), p.parentPid()));
            console.println(String.format("    DirBase: %08x  ObjectTable: %s  HandleCount: %s.", p.directoryTableBase(),
                    target.addr(p.objectTable()), p.handleCount() < 0 ? "<Data Not Accessible>" : Integer.toString(p.handleCount())));
            console.println("    Image: " + p.imageName());
            console.println("");
        }
    }
}
