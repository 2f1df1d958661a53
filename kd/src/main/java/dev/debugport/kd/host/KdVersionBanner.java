package dev.debugport.kd.host;

import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import java.util.Optional;

/** kd's connection banner, also the output of {@code version} / {@code vertarget}: the target's OS, build and kernel. */
record KdVersionBanner(KdTarget target, KdConsole console) {
    void print() {
        KdHostClient c = target.connected();
        GetVersion v = c.version();
        KdTargetInfo info = new KdTargetInfo(c);
        boolean x64 = c.architecture() == KdArchitecture.AMD64;
        int kind = v.majorVersion() >> 8;
        String os = kind == 0 ? windowsName(v.minorVersion()) : String.format("kind %d", kind);
        console.println(String.format("Connected to %s %d %s target, ptr64 %s", os, v.minorVersion(),
                x64 ? "x64" : "x86 compatible", (v.flags() & 0x4) != 0 ? "TRUE" : "FALSE"));
        console.println("Kernel Debugger connection established.");
        Optional<Integer> sp = Optional.empty();
        Optional<String> lab = Optional.empty();
        if (c.isStopped()) {
            try {
                sp = info.servicePack();
                lab = info.buildLab();
            } catch (KdHostException ignored) {
                // no debugger data: the short banner
            }
        }
        console.println(String.format("%s Kernel Version %d%s %s (1 procs) %s %s", os, v.minorVersion(),
                sp.filter(n -> n > 0).map(n -> " (Service Pack " + n + ")").orElse(""),
                (v.flags() & 0x1) != 0 ? "MP" : "UP", (v.majorVersion() & 0xFF) == 0xC ? "Checked" : "Free",
                x64 ? "x64" : "x86 compatible"));
        lab.ifPresent(l -> console.println("Built by: " + l));
        console.println(String.format("Kernel base = 0x%s PsLoadedModuleList = 0x%s", target.addr(v.kernBase()),
                target.addr(v.psLoadedModuleList())));
    }

    private static String windowsName(int build) {
        if (build >= 7600 && build <= 7601) {
            return "Windows 7";
        }
        if (build >= 9200 && build <= 9600) {
            return "Windows 8";
        }
        if (build >= 10240) {
            return "Windows 10";
        }
        if (build >= 6000 && build <= 6002) {
            return "Windows Vista";
        }
        return "Windows";
    }
}
