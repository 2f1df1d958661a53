package dev.debugport.kd.host;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.NtStatus;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * kd's command language over a {@link KdHostClient}, with cdb/kd-style output. Stops and DbgPrint output are printed
 * as they arrive (this object is the client's {@link KdHostListener}).
 *
 * <pre>
 *  .breakin | break       break in (Ctrl-C in interactive mode)
 *  g [gh|gn]              go (handled / not handled); steps over a breakpoint at the PC first
 *  t                      one instruction (trace flag)
 *  p                      one instruction, a call as a whole (a breakpoint after it, then go)
 *  r [reg[=value] ...]    registers, or set some
 *  db|dd|dq [addr] [L n]  dump bytes / dwords / qwords     eb|ed|eq addr value...   edit
 *  bp addr | bl | bc n|*  breakpoints (inserted while the target runs, as WinDbg does)
 *  lm                     kernel modules (PsLoadedModuleList) and the current process's modules
 *  !process 0 0           every process (PsActiveProcessHead)
 *  version | vertarget    the target's version
 *  .reboot                reboot the target      .echo text    print text      q   quit
 * </pre>
 *
 * In batch mode a command that needs a stopped target waits (up to the stop timeout) for the target to stop.
 */
public final class KdCommandInterpreter implements KdHostListener {
    private static final Map<Integer, String> EXCEPTION_NAMES = Map.of(
            0x80000003, "Break instruction exception",
            0x80000004, "Single step exception",
            0xC0000005, "Access violation",
            0xC0000420, "Assertion failure",
            0xC000001D, "Illegal instruction",
            0xC0000094, "Integer divide-by-zero",
            0xC00000FD, "Stack overflow",
            0xE06D7363, "C++ EH exception");

    /** One host breakpoint: inserted (with a target handle) only while the target runs. */
    private static final class Breakpoint {
        final int id;
        final long address;
        int handle;

        Breakpoint(int id, long address) {
            this.id = id;
            this.address = address;
        }
    }

    private final PrintWriter out;
    private final Object outLock = new Object();
    private final Duration stopTimeout;
    private final boolean interactive;
    private final List<Breakpoint> breakpoints = new ArrayList<>();
    private final AtomicBoolean ownNextStop = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<String>> pendingPrompt = new AtomicReference<>();
    private final ExecutorService autoContinue = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().daemon().name("kd-host-autocontinue").unstarted(r));
    private volatile KdHostClient client;
    private volatile boolean needsBreakpointRemoval;
    /** The target handle of {@code p}'s breakpoint after a call while it is inserted, else 0. */
    private int stepOverHandle;
    /** The last DbgPrint output did not end its line: the next line of ours starts a new one. */
    private boolean midLine;
    private List<KdModule> kernelModules = List.of();
    private long lastDumpAddress;
    private volatile boolean quit;
    private boolean failed;

    /**
     * @param out where everything is printed
     * @param stopTimeout how long a command waits for a running target to stop
     * @param interactive prompts ({@code kd> }) are printed, and DbgPrompt reads the next input line
     */
    public KdCommandInterpreter(PrintWriter out, Duration stopTimeout, boolean interactive) {
        this.out = out;
        this.stopTimeout = stopTimeout;
        this.interactive = interactive;
    }

    /** Binds the interpreter to a connected client and prints the connection banner and the current stop. */
    public void attach(KdHostClient connected) {
        this.client = connected;
        try {
            kernelModules = new KdTargetInfo(connected).debuggerDataBlock().isPresent()
                    ? new KdTargetInfo(connected).kernelModules() : List.of();
        } catch (KdHostException e) {
            kernelModules = List.of();
        }
        banner();
        KdStateChange stop = connected.currentStop();
        if (stop != null) {
            connected.clearPendingStops();
            if (stop.isLoadSymbols()) {
                autoContinue.execute(this::continueAfterLoad);
            } else {
                printStop(stop);
            }
        }
    }

    /** @return true once {@code q} ran or the connection closed */
    public boolean quitRequested() {
        return quit || (client != null && !client.isConnected());
    }

    /** @return true if any command failed */
    public boolean anyFailed() {
        return failed;
    }

    /** @return the prompt to show now, or null when the target runs (kd shows none then) */
    public String prompt() {
        KdHostClient c = client;
        return c != null && c.isStopped() ? "kd> " : null;
    }

    /**
     * Handles one input line of an interactive session: an answer to a pending DbgPrompt, or commands.
     */
    public void inputLine(String line) {
        CompletableFuture<String> prompt = pendingPrompt.getAndSet(null);
        if (prompt != null) {
            prompt.complete(line);
            return;
        }
        execute(line);
    }

    /** Ctrl-C: break in if the target runs. */
    public void interrupt() {
        KdHostClient c = client;
        if (c != null && c.isConnected() && !c.isStopped()) {
            c.breakIn();
        }
    }

    /** Runs a line of commands separated by {@code ;}. */
    public void execute(String line) {
        for (String command : splitCommands(line)) {
            if (quit) {
                return;
            }
            String c = command.trim();
            if (c.isEmpty()) {
                continue;
            }
            try {
                run(c);
            } catch (KdHostException e) {
                failed = true;
                println("kd: " + e.getMessage());
            } catch (NumberFormatException e) {
                failed = true;
                println("kd: bad number or address: " + e.getMessage());
            }
        }
    }

    private static List<String> splitCommands(String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == ';' && !quoted) {
                parts.add(b.toString());
                b.setLength(0);
            } else {
                b.append(ch);
            }
        }
        parts.add(b.toString());
        return parts;
    }

    private void run(String command) {
        String[] words = command.split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        String rest = command.substring(words[0].length()).trim();
        switch (verb) {
            case "q", "qq" -> {
                quit = true;
                println("quit:");
            }
            case ".breakin", "break", "b" -> breakIn();
            case "g", "gh" -> resume(NtStatus.DBG_CONTINUE, false, false);
            case "gn" -> resume(NtStatus.DBG_EXCEPTION_NOT_HANDLED, false, false);
            case "t" -> resume(NtStatus.DBG_CONTINUE, true, true);
            case "p" -> stepOver();
            case "r" -> registers(rest);
            case "db", "dd", "dq" -> dump(verb.charAt(1), rest);
            case "eb", "ed", "eq" -> edit(verb.charAt(1), rest);
            case "bp" -> addBreakpoint(rest);
            case "bl" -> listBreakpoints();
            case "bc" -> clearBreakpoints(rest);
            case "lm" -> listModules();
            case "!process" -> processes(rest);
            case "version", "vertarget" -> banner();
            case ".reboot" -> reboot();
            case ".echo" -> println(rest.startsWith("\"") && rest.endsWith("\"") && rest.length() > 1
                    ? rest.substring(1, rest.length() - 1) : rest);
            case "?", "help", ".help" -> help();
            default -> throw new KdHostException("unknown command '" + words[0] + "' (? lists the commands)");
        }
    }

    // ---- waiting for stops ---------------------------------------------------------------------------------

    /** The client, stopped: waits for a running target to stop (batch semantics), then removes our breakpoints. */
    private KdHostClient stopped() {
        KdHostClient c = connected();
        if (!c.isStopped()) {
            KdStateChange s = awaitStop();
            if (s == null) {
                throw new KdHostException("the target did not stop within " + stopTimeout.toSeconds() + " s");
            }
        }
        removeInsertedBreakpoints();
        return c;
    }

    private KdHostClient connected() {
        KdHostClient c = client;
        if (c == null || !c.isConnected()) {
            throw new KdHostException("not connected");
        }
        return c;
    }

    /** Waits for a stop other than a symbol load (those are continued automatically). */
    private KdStateChange awaitStop() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            KdStateChange s = connected().waitForStateChange(Duration.ofNanos(left));
            if (s == null) {
                return null;
            }
            if (!s.isLoadSymbols()) {
                return s;
            }
        }
    }

    private void removeInsertedBreakpoints() {
        if (stepOverHandle != 0) {
            connected().restoreBreakpoint(stepOverHandle);
            stepOverHandle = 0;
        }
        if (!needsBreakpointRemoval) {
            return;
        }
        needsBreakpointRemoval = false;
        for (Breakpoint bp : breakpoints) {
            if (bp.handle != 0) {
                connected().restoreBreakpoint(bp.handle); // the target may have removed it already: ignored
                bp.handle = 0;
            }
        }
    }

    private void insertBreakpoints(long skipAddress) {
        for (Breakpoint bp : breakpoints) {
            if (bp.address != skipAddress && bp.handle == 0) {
                bp.handle = connected().writeBreakpoint(bp.address);
                if (bp.handle == 0) {
                    println(String.format("kd: breakpoint %d at %s could not be written", bp.id, addr(bp.address)));
                }
            }
        }
        needsBreakpointRemoval = true;
    }

    // ---- KdHostListener ----------------------------------------------------------------------------------

    @Override
    public void onStateChange(KdStateChange stop) {
        needsBreakpointRemoval = needsBreakpointRemoval || breakpoints.stream().anyMatch(b -> b.handle != 0);
        if (stop.isLoadSymbols()) {
            autoContinue.execute(this::continueAfterLoad);
            return;
        }
        KdHostClient c = client;
        if (ownNextStop.get() || c == null) {
            return; // a step's stop is printed by the step (the client calls us before it wakes); the handshake's by attach
        }
        printStop(stop.as(c.architecture()));
        if (interactive) {
            printPrompt();
        }
    }

    private void continueAfterLoad() {
        try {
            KdHostClient c = client;
            if (c != null && c.isStopped() && c.currentStop() != null && c.currentStop().isLoadSymbols()) {
                c.go();
            }
        } catch (KdHostException e) {
            println("kd: " + e.getMessage());
        }
    }

    @Override
    public void onPrint(String text) {
        synchronized (outLock) {
            out.print(text);
            out.flush();
            if (!text.isEmpty()) {
                midLine = !text.endsWith("\n");
            }
        }
    }

    @Override
    public String onPrompt(String prompt, int maxLength) {
        synchronized (outLock) {
            endPrintedLine();
            out.print(prompt);
            out.flush();
        }
        if (!interactive) {
            synchronized (outLock) {
                out.println();
                out.flush();
            }
            return "";
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        pendingPrompt.set(answer);
        try {
            return answer.get(10, TimeUnit.MINUTES);
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public void onDisconnect() {
        if (!quit) {
            println("kd: the target closed the connection");
        }
    }

    /** The host ends the session itself (its batch or its input is over): the disconnect that follows is its own. */
    public void endSession() {
        quit = true;
    }

    /** Stops the background helper. */
    public void shutdown() {
        autoContinue.shutdownNow();
    }

    // ---- printing ------------------------------------------------------------------------------------------

    private void println(String line) {
        synchronized (outLock) {
            endPrintedLine();
            out.println(line);
            out.flush();
        }
    }

    private void printPrompt() {
        synchronized (outLock) {
            endPrintedLine();
            out.print("kd> ");
            out.flush();
        }
    }

    private void endPrintedLine() {
        if (midLine) {
            out.println();
            midLine = false;
        }
    }

    private KdArchitecture arch() {
        KdHostClient c = client;
        return c == null ? KdArchitecture.AMD64 : c.architecture();
    }

    private String addr(long a) {
        return KdFormat.address(a, arch());
    }

    /** Prints a stop as kd does: the exception line, the symbol, the instruction at the PC. */
    void printStop(KdStateChange stop) {
        StringBuilder b = new StringBuilder();
        Optional<ExceptionRecord64> e = stop.exception();
        if (e.isPresent()) {
            int code = e.get().exceptionCode();
            b.append(EXCEPTION_NAMES.getOrDefault(code, "Unknown exception"))
                    .append(String.format(" - code %08x (%s)", code, stop.firstChance() ? "first chance" : "!!! second chance !!!"))
                    .append(System.lineSeparator());
        }
        symbolFor(stop.pc()).ifPresent(s -> b.append(s).append(':').append(System.lineSeparator()));
        b.append(KdFormat.instructionLine(stop.pc(), stop.instructionStream().toByteArray(), arch()));
        println(b.toString());
    }

    private Optional<String> symbolFor(long address) {
        for (KdModule m : kernelModules) {
            if (m.contains(address)) {
                long off = address - m.base();
                return Optional.of(off == 0 ? m.moduleName() : m.moduleName() + String.format("+0x%x", off));
            }
        }
        return Optional.empty();
    }

    private void banner() {
        KdHostClient c = connected();
        GetVersion v = c.version();
        KdTargetInfo info = new KdTargetInfo(c);
        boolean x64 = c.architecture() == KdArchitecture.AMD64;
        int kind = v.majorVersion() >> 8;
        String os = kind == 0 ? windowsName(v.minorVersion()) : String.format("kind %d", kind);
        println(String.format("Connected to %s %d %s target, ptr64 %s", os, v.minorVersion(),
                x64 ? "x64" : "x86 compatible", (v.flags() & 0x4) != 0 ? "TRUE" : "FALSE"));
        println("Kernel Debugger connection established.");
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
        println(String.format("%s Kernel Version %d%s %s (1 procs) %s %s", os, v.minorVersion(),
                sp.filter(n -> n > 0).map(n -> " (Service Pack " + n + ")").orElse(""),
                (v.flags() & 0x1) != 0 ? "MP" : "UP", (v.majorVersion() & 0xFF) == 0xC ? "Checked" : "Free",
                x64 ? "x64" : "x86 compatible"));
        lab.ifPresent(l -> println("Built by: " + l));
        println(String.format("Kernel base = 0x%s PsLoadedModuleList = 0x%s", addr(v.kernBase()), addr(v.psLoadedModuleList())));
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

    // ---- commands -----------------------------------------------------------------------------------------

    private void breakIn() {
        KdHostClient c = connected();
        if (c.isStopped()) {
            println("kd: the target is already stopped");
            return;
        }
        c.clearPendingStops();
        c.breakIn();
        if (!interactive && awaitStop() == null) {
            throw new KdHostException("the target did not stop within " + stopTimeout.toSeconds() + " s");
        }
    }

    /** g / gn / t / p: resumes, stepping off a breakpoint or a hard-coded int3 at the PC first. */
    private void resume(NtStatus status, boolean trace, boolean printStepStop) {
        KdHostClient c = stopped();
        KdStateChange stop = c.currentStop();
        long pc = stop == null ? 0 : stop.pc();
        boolean ourBreakpointAtPc = breakpoints.stream().anyMatch(b -> b.address == pc);
        if (stop != null && !ourBreakpointAtPc && stop.isException(NtStatus.STATUS_BREAKPOINT)
                && stop.instructionStream().length() > 0 && stop.instructionStream().getUnsigned(0) == 0xCC) {
            advancePc(1); // a hard-coded int3: continue after it, as dbgeng does
        }
        if (trace) {
            insertBreakpoints(pc);
            KdStateChange next = stepAndWait(status);
            if (printStepStop && next != null) {
                if (next.isException(NtStatus.STATUS_SINGLE_STEP)) {
                    registers("");
                } else {
                    printStop(next);
                }
            }
            return;
        }
        if (ourBreakpointAtPc) {
            KdStateChange next = stepAndWait(status);
            if (next == null) {
                return; // still running (the step left the code the machine interprets)
            }
            if (!next.isException(NtStatus.STATUS_SINGLE_STEP)) {
                printStop(next);
                return;
            }
        }
        insertBreakpoints(Long.MIN_VALUE);
        c.clearPendingStops();
        c.continueExecution(status, false);
    }

    /**
     * {@code p}: a call is stepped over as a whole (dbgeng's step over: a breakpoint on the instruction after it, then
     * go; the stop there is shown like a step's); any other instruction is traced as {@code t} does. The breakpoint
     * is a plain one on the return address: a recursive call that reaches it before the outer call returns stops
     * there, and another breakpoint or an exception inside the call stops where it happens.
     */
    private void stepOver() {
        KdHostClient c = stopped();
        KdStateChange stop = c.currentStop();
        long pc = evaluate(arch() == KdArchitecture.AMD64 ? "@rip" : "@eip");
        boolean hardCodedBreak = stop != null && stop.pc() == pc && stop.isException(NtStatus.STATUS_BREAKPOINT)
                && breakpoints.stream().noneMatch(b -> b.address == pc);
        OptionalInt call = hardCodedBreak ? OptionalInt.empty()
                : CallInstruction.length(c.readVirtual(pc, CallInstruction.MAX_LENGTH), arch());
        if (call.isEmpty()) {
            resume(NtStatus.DBG_CONTINUE, true, true);
            return;
        }
        long returnAddress = pc + call.getAsInt();
        insertBreakpoints(pc);
        if (breakpoints.stream().noneMatch(b -> b.address == returnAddress)) {
            stepOverHandle = c.writeBreakpoint(returnAddress);
            if (stepOverHandle == 0) {
                throw new KdHostException("cannot write a breakpoint at " + addr(returnAddress) + " to step over the call");
            }
        }
        KdStateChange next = continueAndWait(NtStatus.DBG_CONTINUE, false);
        if (next == null) {
            return;
        }
        if (next.pc() == returnAddress && next.isException(NtStatus.STATUS_BREAKPOINT)) {
            registers("");
        } else {
            printStop(next);
        }
    }

    /** Single-steps once with the stop handed to us (not printed by the listener). */
    private KdStateChange stepAndWait(NtStatus status) {
        return continueAndWait(status, true);
    }

    /** Resumes (tracing one instruction, or not) and waits for the next stop, which is ours to print. */
    private KdStateChange continueAndWait(NtStatus status, boolean trace) {
        KdHostClient c = connected();
        c.clearPendingStops();
        ownNextStop.set(true);
        try {
            c.continueExecution(status, trace);
            KdStateChange next = awaitStop();
            if (next == null) {
                println("kd: the step did not complete (target running)");
            }
            return next;
        } finally {
            ownNextStop.set(false);
        }
    }

    private void advancePc(long delta) {
        KdHostClient c = connected();
        if (c.architecture() == KdArchitecture.AMD64) {
            Amd64Context ctx = c.getContext();
            requireSuccess(c.setContext(ctx.withRip(ctx.rip() + delta)), "SetContext");
        } else {
            byte[] image = c.getContextImage().toByteArray();
            int at = X86ContextLayout.offsetOf("eip").orElseThrow();
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(at, (int) (b.getInt(at) + delta));
            requireSuccess(c.setContextImage(ByteString.of(image)), "SetContext");
        }
    }

    private static void requireSuccess(NtStatus s, String what) {
        if (!s.isSuccess()) {
            throw new KdHostException(what + " failed: " + s);
        }
    }

    private void registers(String args) {
        KdHostClient c = stopped();
        if (c.architecture() == KdArchitecture.X86) {
            registersX86(c, args);
            return;
        }
        Amd64Context ctx = c.getContext();
        if (!args.isEmpty()) {
            Amd64Context edited = ctx;
            boolean set = false;
            for (String assignment : args.split("[,\\s]+")) {
                String a = assignment.startsWith("@") ? assignment.substring(1) : assignment;
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                Amd64Register reg = Amd64Register.byName(name.toLowerCase(Locale.ROOT))
                        .orElseThrow(() -> new KdHostException("bad register '" + name + "'"));
                if (eq < 0) {
                    println(String.format(registerFormat(reg), reg.lowerName(), ctx.get(reg)));
                } else {
                    edited = edited.with(reg, evaluate(a.substring(eq + 1)));
                    set = true;
                }
            }
            if (set) {
                requireSuccess(c.setContext(edited), "SetContext");
            }
            return;
        }
        println(String.format("rax=%016x rbx=%016x rcx=%016x", ctx.get(Amd64Register.RAX), ctx.get(Amd64Register.RBX), ctx.get(Amd64Register.RCX)));
        println(String.format("rdx=%016x rsi=%016x rdi=%016x", ctx.get(Amd64Register.RDX), ctx.get(Amd64Register.RSI), ctx.get(Amd64Register.RDI)));
        println(String.format("rip=%016x rsp=%016x rbp=%016x", ctx.rip(), ctx.rsp(), ctx.get(Amd64Register.RBP)));
        println(String.format(" r8=%016x  r9=%016x r10=%016x", ctx.get(Amd64Register.R8), ctx.get(Amd64Register.R9), ctx.get(Amd64Register.R10)));
        println(String.format("r11=%016x r12=%016x r13=%016x", ctx.get(Amd64Register.R11), ctx.get(Amd64Register.R12), ctx.get(Amd64Register.R13)));
        println(String.format("r14=%016x r15=%016x", ctx.get(Amd64Register.R14), ctx.get(Amd64Register.R15)));
        long efl = ctx.eflags();
        println(String.format("iopl=%d         %s", (efl >> 12) & 3, KdFormat.flags(efl)));
        println(String.format("cs=%04x  ss=%04x  ds=%04x  es=%04x  fs=%04x  gs=%04x             efl=%08x",
                ctx.get(Amd64Register.CS), ctx.get(Amd64Register.SS), ctx.get(Amd64Register.DS), ctx.get(Amd64Register.ES),
                ctx.get(Amd64Register.FS), ctx.get(Amd64Register.GS), efl));
        printInstructionAt(ctx.rip());
    }

    private static String registerFormat(Amd64Register reg) {
        return reg.isSegment() ? "%s=%04x" : reg == Amd64Register.EFLAGS ? "%s=%08x" : "%s=%016x";
    }

    private void registersX86(KdHostClient c, String args) {
        byte[] image = c.getContextImage().toByteArray();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < X86ContextLayout.SIZE) {
            throw new KdHostException("the target's CONTEXT is " + image.length + " bytes");
        }
        if (!args.isEmpty()) {
            boolean set = false;
            for (String assignment : args.split("[,\\s]+")) {
                String a = assignment.startsWith("@") ? assignment.substring(1) : assignment;
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                int at = X86ContextLayout.offsetOf(name).orElseThrow(() -> new KdHostException("bad register '" + name + "'"));
                if (eq < 0) {
                    println(String.format("%s=%08x", name.toLowerCase(Locale.ROOT), b.getInt(at)));
                } else {
                    b.putInt(at, (int) evaluate(a.substring(eq + 1)));
                    set = true;
                }
            }
            if (set) {
                requireSuccess(c.setContextImage(ByteString.of(image)), "SetContext");
            }
            return;
        }
        java.util.function.IntUnaryOperator r = off -> b.getInt(off);
        int efl = r.applyAsInt(0xC0);
        println(String.format("eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x", r.applyAsInt(0xB0), r.applyAsInt(0xA4),
                r.applyAsInt(0xAC), r.applyAsInt(0xA8), r.applyAsInt(0xA0), r.applyAsInt(0x9C)));
        println(String.format("eip=%08x esp=%08x ebp=%08x iopl=%d         %s", r.applyAsInt(0xB8), r.applyAsInt(0xC4),
                r.applyAsInt(0xB4), (efl >> 12) & 3, KdFormat.flags(efl)));
        println(String.format("cs=%04x  ss=%04x  ds=%04x  es=%04x  fs=%04x  gs=%04x             efl=%08x",
                r.applyAsInt(0xBC) & 0xFFFF, r.applyAsInt(0xC8) & 0xFFFF, r.applyAsInt(0x98) & 0xFFFF,
                r.applyAsInt(0x94) & 0xFFFF, r.applyAsInt(0x90) & 0xFFFF, r.applyAsInt(0x8C) & 0xFFFF, efl));
        printInstructionAt(Integer.toUnsignedLong(r.applyAsInt(0xB8)));
    }

    private void printInstructionAt(long pc) {
        byte[] code = connected().readVirtual(pc, 16);
        symbolFor(pc).ifPresent(s -> println(s + ":"));
        println(KdFormat.instructionLine(pc, code, arch()));
    }

    /** A number, a register ({@code @rip}, {@code rsp}), or {@code a+b} / {@code a-b} of those. */
    private long evaluate(String expression) {
        String e = expression.trim();
        int op = Math.max(e.lastIndexOf('+'), e.lastIndexOf('-'));
        if (op > 0) {
            long left = evaluate(e.substring(0, op));
            long right = evaluate(e.substring(op + 1));
            return e.charAt(op) == '+' ? left + right : left - right;
        }
        String name = e.startsWith("@") ? e.substring(1) : e;
        for (KdModule m : kernelModules) {
            if (m.moduleName().equalsIgnoreCase(name)) {
                return m.base();
            }
        }
        Optional<Amd64Register> reg = arch() == KdArchitecture.AMD64 ? Amd64Register.byName(name.toLowerCase(Locale.ROOT))
                : Optional.empty();
        if (reg.isPresent() && (e.startsWith("@") || !isHex(name))) {
            return connected().getContext().get(reg.get());
        }
        if (arch() == KdArchitecture.X86 && X86ContextLayout.offsetOf(name).isPresent() && (e.startsWith("@") || !isHex(name))) {
            ByteBuffer b = ByteBuffer.wrap(connected().getContextImage().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            return Integer.toUnsignedLong(b.getInt(X86ContextLayout.offsetOf(name).orElseThrow()));
        }
        return KdFormat.parseNumber(e);
    }

    private static boolean isHex(String s) {
        return s.replace("`", "").matches("(0[xX])?[0-9a-fA-F]+");
    }

    private void dump(char unit, String args) {
        KdHostClient c = stopped();
        int size = unit == 'b' ? 1 : unit == 'd' ? 4 : 8;
        long address = lastDumpAddress;
        int count = unit == 'b' ? 0x80 : unit == 'd' ? 0x20 : 0x10;
        String[] parts = args.isEmpty() ? new String[0] : args.split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.toLowerCase(Locale.ROOT).startsWith("l")) {
                String n = p.length() > 1 ? p.substring(1) : (i + 1 < parts.length ? parts[++i] : "");
                count = (int) KdFormat.parseNumber(n);
            } else {
                address = evaluate(p);
            }
        }
        if (count <= 0 || count > 0x10000) {
            throw new KdHostException("bad length");
        }
        byte[] data = c.readVirtual(address, count * size);
        int perLine = 16 / size;
        for (int i = 0; i < count; i += perLine) {
            long lineAddr = address + (long) i * size;
            StringBuilder b = new StringBuilder(addr(lineAddr)).append("  ");
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < perLine && i + j < count; j++) {
                int off = (i + j) * size;
                boolean ok = off + size <= data.length;
                if (unit == 'b') {
                    if (j == 8) {
                        b.setCharAt(b.length() - 1, '-');
                    }
                    b.append(ok ? String.format("%02x", data[off] & 0xFF) : "??").append(' ');
                    int ch = ok ? data[off] & 0xFF : '?';
                    ascii.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '.');
                } else if (unit == 'd') {
                    b.append(ok ? String.format("%08x", ByteBuffer.wrap(data, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()) : "????????").append(' ');
                } else {
                    long q = ok ? ByteBuffer.wrap(data, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
                    b.append(ok ? String.format("%08x`%08x", q >>> 32, q & 0xFFFF_FFFFL) : "????????`????????").append(' ');
                }
            }
            String line = b.toString().stripTrailing();
            if (unit == 'b') {
                line = String.format("%-" + (addr(0).length() + 2 + 48) + "s ", line) + ascii;
            }
            println(line);
        }
        lastDumpAddress = address + (long) count * size;
    }

    private void edit(char unit, String args) {
        KdHostClient c = stopped();
        String[] parts = args.split("\\s+");
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new KdHostException("usage: e" + unit + " address value [value ...]");
        }
        long address = evaluate(parts[0]);
        int size = unit == 'b' ? 1 : unit == 'd' ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(size * (parts.length - 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i < parts.length; i++) {
            long v = KdFormat.parseNumber(parts[i]);
            switch (size) {
                case 1 -> b.put((byte) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        int wrote = c.writeVirtual(address, b.array());
        if (wrote < b.capacity()) {
            throw new KdHostException("Memory access error at '" + addr(address + wrote) + "'");
        }
    }

    private void addBreakpoint(String args) {
        if (args.isEmpty()) {
            throw new KdHostException("usage: bp address");
        }
        connected();
        long address = evaluate(args.split("\\s+")[0]);
        if (breakpoints.stream().anyMatch(b -> b.address == address)) {
            println("breakpoint at " + addr(address) + " redefined");
            return;
        }
        int id = 0;
        while (true) {
            int candidate = id;
            if (breakpoints.stream().noneMatch(b -> b.id == candidate)) {
                break;
            }
            id++;
        }
        breakpoints.add(new Breakpoint(id, address));
        breakpoints.sort((x, y) -> Integer.compare(x.id, y.id));
    }

    private void listBreakpoints() {
        for (Breakpoint bp : breakpoints) {
            println(String.format("%2d e %s     0001 (0001) %s", bp.id, addr(bp.address), symbolFor(bp.address).orElse("")).stripTrailing());
        }
    }

    private void clearBreakpoints(String args) {
        if (args.isEmpty()) {
            throw new KdHostException("usage: bc id|*");
        }
        KdHostClient c = client;
        List<Breakpoint> gone = args.trim().equals("*") ? List.copyOf(breakpoints)
                : breakpoints.stream().filter(b -> b.id == (int) KdFormat.parseNumber(args.trim())).toList();
        for (Breakpoint bp : gone) {
            if (bp.handle != 0 && c != null && c.isStopped()) {
                c.restoreBreakpoint(bp.handle);
            }
            breakpoints.remove(bp);
        }
    }

    private void listModules() {
        KdHostClient c = stopped();
        KdTargetInfo info = new KdTargetInfo(c);
        kernelModules = info.kernelModules();
        int width = addr(0).length();
        println(String.format("%-" + width + "s %-" + width + "s   module name", "start", "end"));
        for (KdModule m : kernelModules) {
            println(String.format("%s %s   %-10s (no symbols)", addr(m.base()), addr(m.end()), m.moduleName()));
        }
        KdStateChange stop = c.currentStop();
        if (stop != null && stop.thread() != 0) {
            long process = info.processOfThread(stop.thread());
            for (KdModule m : info.userModules(process)) {
                println(String.format("%s %s   %-10s (no symbols)", addr(m.base()), addr(m.end()), m.moduleName()));
            }
        }
    }

    private void processes(String args) {
        String a = args.trim();
        if (!a.isEmpty() && !a.matches("0\\s+0")) {
            throw new KdHostException("only '!process 0 0' is supported");
        }
        KdHostClient c = stopped();
        println("**** NT ACTIVE PROCESS DUMP ****");
        for (KdProcessInfo p : new KdTargetInfo(c).processes()) {
            println("PROCESS " + addr(p.eprocess()));
            println(String.format("    SessionId: none  Cid: %04x    Peb: %08x  ParentCid: %04x", p.pid(), p.peb(), p.parentPid()));
            println(String.format("    DirBase: %08x  ObjectTable: %s  HandleCount: %s.", p.directoryTableBase(),
                    addr(p.objectTable()), p.handleCount() < 0 ? "<Data Not Accessible>" : Integer.toString(p.handleCount())));
            println("    Image: " + p.imageName());
            println("");
        }
    }

    private void reboot() {
        KdHostClient c = stopped();
        for (Breakpoint bp : breakpoints) {
            bp.handle = 0; // the target forgets its breakpoints
        }
        c.clearPendingStops();
        c.reboot();
        println("Shutdown occurred; the target is rebooting...");
        if (!interactive && awaitStop() == null) {
            throw new KdHostException("the target did not come back within " + stopTimeout.toSeconds() + " s");
        }
    }

    private void help() {
        println("kd commands:");
        println("  .breakin | break        break in (Ctrl-C when interactive)");
        println("  g | gh | gn             go (handled / not handled)");
        println("  t                       single step        p                         step over a call");
        println("  r [reg[=value] ...]     show or set registers");
        println("  db|dd|dq [addr] [L n]   dump memory        eb|ed|eq addr value ...   edit memory");
        println("  bp addr | bl | bc n|*   breakpoints");
        println("  lm                      modules            !process 0 0              processes");
        println("  version                 target version     .reboot                   reboot the target");
        println("  .echo text              print text         q                         quit");
    }
}
