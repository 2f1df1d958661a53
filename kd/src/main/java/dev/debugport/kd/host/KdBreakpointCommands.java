package dev.debugport.kd.host;

import java.util.List;

/** kd's breakpoint commands over the host's table: {@code bp addr}, {@code bl}, {@code bc n|*}. */
record KdBreakpointCommands(KdTarget target, KdConsole console, KdExpression expression, KdKernelModules modules) {
    void addBreakpoint(String args) {
        if (args.isEmpty()) {
            throw new KdHostException("usage: bp address");
        }
        target.connected();
        long address = expression.evaluate(args.split("\\s+")[0]);
        if (!target.breakpoints().add(address)) {
            console.println("breakpoint at " + target.addr(address) + " redefined");
        }
    }

    void listBreakpoints() {
        for (KdHostBreakpoints.Breakpoint bp : target.breakpoints().all()) {
            console.println(String.format("%2d e %s     0001 (0001) %s", bp.id, target.addr(bp.address),
                    modules.symbolFor(bp.address).orElse("")).stripTrailing());
        }
    }

    void clearBreakpoints(String args) {
        if (args.isEmpty()) {
            throw new KdHostException("usage: bc id|*");
        }
        List<KdHostBreakpoints.Breakpoint> all = target.breakpoints().all();
        List<KdHostBreakpoints.Breakpoint> gone = args.trim().equals("*") ? List.copyOf(all)
                : all.stream().filter(b -> b.id == (int) KdFormat.parseNumber(args.trim())).toList();
        target.breakpoints().remove(gone);
    }
}
