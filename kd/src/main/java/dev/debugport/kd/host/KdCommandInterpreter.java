package dev.debugport.kd.host;

import dev.debugport.nt.NtStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    private final KdConsole console;
    private final boolean interactive;
    private final KdTarget target;
    private final KdKernelModules kernelModules = new KdKernelModules();
    private final KdStopPrinter stopPrinter;
    private final KdVersionBanner banner;
    private final KdRegisterCommand registers;
    private final KdMemoryCommands memory;
    private final KdBreakpointCommands breakpointCommands;
    private final KdTargetListings listings;
    private final KdExecutionCommands execution;
    private final AtomicReference<CompletableFuture<String>> pendingPrompt = new AtomicReference<>();
    private final ExecutorService autoContinue = Executors.newSingleThreadExecutor(r ->
            Thread.ofPlatform().daemon().name("kd-host-autocontinue").unstarted(r));
    private volatile boolean quit;
    private boolean failed;

    /**
     * @param out where everything is printed
     * @param stopTimeout how long a command waits for a running target to stop
     * @param interactive prompts ({@code kd> }) are printed, and DbgPrompt reads the next input line
     */
    public KdCommandInterpreter(PrintWriter out, Duration stopTimeout, boolean interactive) {
        this.console = new KdConsole(out);
        this.interactive = interactive;
        this.target = new KdTarget(stopTimeout, console);
        KdExpression expression = new KdExpression(target, kernelModules);
        this.stopPrinter = new KdStopPrinter(target, kernelModules, console);
        this.banner = new KdVersionBanner(target, console);
        this.registers = new KdRegisterCommand(target, console, expression, stopPrinter);
        this.memory = new KdMemoryCommands(expression, console);
        this.breakpointCommands = new KdBreakpointCommands(target, console, expression, kernelModules);
        this.listings = new KdTargetListings(target, console, kernelModules);
        this.execution = new KdExecutionCommands(target, console, expression, stopPrinter, registers, interactive);
    }

    /** Binds the interpreter to a connected client and prints the connection banner and the current stop. */
    public void attach(KdHostClient connected) {
        target.bind(connected);
        kernelModules.load(connected);
        banner.print();
        KdStateChange stop = connected.currentStop();
        if (stop != null) {
            connected.clearPendingStops();
            if (stop.isLoadSymbols()) {
                autoContinue.execute(this::continueAfterLoad);
            } else {
                stopPrinter.printStop(stop);
            }
        }
    }

    /** @return true once {@code q} ran or the connection closed */
    public boolean quitRequested() {
        KdHostClient client = target.client();
        return quit || (client != null && !client.isConnected());
    }

    /** @return true if any command failed */
    public boolean anyFailed() {
        return failed;
    }

    /** @return the prompt to show now, or null when the target runs (kd shows none then) */
    public String prompt() {
        KdHostClient c = target.client();
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
        KdHostClient c = target.client();
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
                console.println("kd: " + e.getMessage());
            } catch (NumberFormatException e) {
                failed = true;
                console.println("kd: bad number or address: " + e.getMessage());
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
                console.println("quit:");
            }
            case ".breakin", "break", "b" -> execution.breakIn();
            case "g", "gh" -> execution.resume(NtStatus.DBG_CONTINUE, false);
            case "gn" -> execution.resume(NtStatus.DBG_EXCEPTION_NOT_HANDLED, false);
            case "t" -> execution.resume(NtStatus.DBG_CONTINUE, true);
            case "p" -> execution.stepOver();
            case "r" -> registers.registers(rest);
            case "db", "dd", "dq" -> memory.dump(verb.charAt(1), rest);
            case "eb", "ed", "eq" -> memory.edit(verb.charAt(1), rest);
            case "bp" -> breakpointCommands.addBreakpoint(rest);
            case "bl" -> breakpointCommands.listBreakpoints();
            case "bc" -> breakpointCommands.clearBreakpoints(rest);
            case "lm" -> listings.listModules();
            case "!process" -> listings.processes(rest);
            case "version", "vertarget" -> banner.print();
            case ".reboot" -> execution.reboot();
            case ".echo" -> console.println(rest.startsWith("\"") && rest.endsWith("\"") && rest.length() > 1
                    ? rest.substring(1, rest.length() - 1) : rest);
            case "?", "help", ".help" -> help();
            default -> throw new KdHostException("unknown command '" + words[0] + "' (? lists the commands)");
        }
    }

    // ---- KdHostListener ----------------------------------------------------------------------------------

    @Override
    public void onStateChange(KdStateChange stop) {
        target.breakpoints().noteStop();
        if (stop.isLoadSymbols()) {
            autoContinue.execute(this::continueAfterLoad);
            return;
        }
        KdHostClient c = target.client();
        if (execution.ownsNextStop() || c == null) {
            return; // a step's stop is printed by the step (the client calls us before it wakes); the handshake's by attach
        }
        stopPrinter.printStop(stop.as(c.architecture()));
        if (interactive) {
            console.printPrompt();
        }
    }

    private void continueAfterLoad() {
        try {
            KdHostClient c = target.client();
            if (c != null && c.isStopped() && c.currentStop() != null && c.currentStop().isLoadSymbols()) {
                c.go();
            }
        } catch (KdHostException e) {
            console.println("kd: " + e.getMessage());
        }
    }

    @Override
    public void onPrint(String text) {
        console.printDebugOutput(text);
    }

    @Override
    public String onPrompt(String prompt, int maxLength) {
        console.printDebugPrompt(prompt);
        if (!interactive) {
            console.endDebugPrompt();
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
            console.println("kd: the target closed the connection");
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

    private void help() {
        console.println("kd commands:");
        console.println("  .breakin | break        break in (Ctrl-C when interactive)");
        console.println("  g | gh | gn             go (handled / not handled)");
        console.println("  t                       single step        p                         step over a call");
        console.println("  r [reg[=value] ...]     show or set registers");
        console.println("  db|dd|dq [addr] [L n]   dump memory        eb|ed|eq addr value ...   edit memory");
        console.println("  bp addr | bl | bc n|*   breakpoints");
        console.println("  lm                      modules            !process 0 0              processes");
        console.println("  version                 target version     .reboot                   reboot the target");
        console.println("  .echo text              print text         q                         quit");
    }
}
