package dev.debugport.kd.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.target.KdTarget;
import dev.debugport.kd.target.KdTargetConfig;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdAddress;
import dev.debugport.kd.transport.TcpTransport;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.memory.PageProtection;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kd command language end to end: batch and interactive sessions against the simulated machine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KdHostSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SimMachine machine;
    private KdTarget kd;
    private KdAcceptor acceptor;
    private final AtomicLong code = new AtomicLong();
    private final AtomicBoolean exit = new AtomicBoolean();

    @BeforeEach
    void setUp() throws Exception {
        machine = SimMachine.create();
        EThread creator = machine.createHostThread("services.exe");
        kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
        acceptor = TcpTransport.listen(0);
        kd.listen(acceptor);
        machine.createProcess(creator, SimProgram.of("kdtest", g -> {
            long c = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(c, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0xC3});
            code.set(c);
            while (!exit.get()) {
                g.execute(c, 8);
                g.safePoint();
            }
        }));
        await(() -> code.get() != 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        exit.set(true);
        kd.close();
        acceptor.close();
        machine.terminateAllGuests(0, WAIT);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private KdAddress address() {
        return KdAddress.parse("tcp:127.0.0.1:" + ((InetSocketAddress) acceptor.localAddress()).getPort());
    }

    private record Run(int status, String out, String err) {
    }

    private Run batch(String... commands) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KdHostSession.run(address(), List.of(commands), new BufferedReader(new StringReader("")),
                new PrintWriter(out, true), new PrintWriter(err, true), WAIT, null);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void batchSessionShowsTheTargetLikeKd() {
        String bp = Long.toHexString(code.get() + 2);
        Run r = batch("r; lm; !process 0 0; db nt L10; dd nt L4; dq nt L2; version",
                "bp " + bp + "; bl; g; r rip; t; bc *; eb " + bp + " 90; .echo done; g; q");
        assertEquals(0, r.status(), r.err() + r.out());
        String out = r.out();
        assertTrue(out.contains("Connected to Windows 7 7601 x64 target, ptr64 TRUE"), out);
        assertTrue(out.contains("Windows 7 Kernel Version 7601 (Service Pack 1) UP (1 procs) Free x64"), out);
        assertTrue(out.contains("Built by: 7601.17514.amd64fre.win7sp1_rtm.101119-1850"), out);
        assertTrue(out.contains("Break instruction exception - code 80000003 (first chance)"), out);
        assertTrue(out.matches("(?s).*rax=[0-9a-f]{16} rbx=[0-9a-f]{16} rcx=[0-9a-f]{16}.*"), out);
        assertTrue(out.contains("cs=0033  ss=002b  ds=002b  es=002b  fs=0053  gs=002b"), out);
        assertTrue(out.contains("fffff800`02a00000 fffff800`02fe8000   nt         (no symbols)"), out);
        assertTrue(out.contains("kdtest     (no symbols)"), out);
        assertTrue(out.contains("**** NT ACTIVE PROCESS DUMP ****"), out);
        assertTrue(out.contains("    Image: kdtest.exe"), out);
        assertTrue(out.contains("SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000"), out);
        assertTrue(out.contains("fffff800`02a00000  4d 5a 90 00 00 00 00 00-00 00 00 00 00 00 00 00  MZ.............."), out);
        assertTrue(out.contains("fffff800`02a00000  00905a4d 00000000 00000000 00000000"), out);
        assertTrue(out.contains("fffff800`02a00000  00000000`00905a4d 00000000`00000000"), out);
        String at = String.format("%08x`%08x", (code.get() + 2) >>> 32, (code.get() + 2) & 0xFFFF_FFFFL);
        assertTrue(out.contains(" 0 e " + at), out);
        assertTrue(out.contains(at + " 90              nop"), "the breakpoint stop: " + out);
        assertTrue(out.contains(String.format("rip=%016x", code.get() + 2)), out);
        assertTrue(out.contains(String.format("rip=%016x", code.get() + 3)), "t stepped one instruction: " + out);
        assertTrue(out.contains("\ndone\n") || out.contains("\ndone\r\n"), out);
        assertTrue(out.contains("quit:"), out);
    }

    @Test
    void pStepsOverACallWhereTTracesIntoIt() {
        long c = code.get();
        String at = Long.toHexString(c);
        // The sim executes E8 rel32 as five one-byte no-ops: p must stop after the five bytes, t after the first.
        Run r = batch("eb " + at + " e8 00 00 00 00 90 c3; bp " + at + "; g; p; g; t; bc *; eb " + at + " 90 90 90 90 c3; q");
        assertEquals(0, r.status(), r.err() + r.out());
        String out = r.out();
        assertTrue(out.contains(String.format("rip=%016x", c + 5)), "p stepped over the call: " + out);
        assertTrue(out.contains(String.format("rip=%016x", c + 1)), "t traced one instruction: " + out);
        assertEquals(3, count(out, "Break instruction exception"), "the stop after the call is p's, not a breakpoint's: " + out);
    }

    @Test
    void aTargetThatDoesNotListenIsOneLineAndExitStatusOne() throws Exception {
        int port;
        try (KdAcceptor free = TcpTransport.listen(0)) {
            port = ((InetSocketAddress) free.localAddress()).getPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KdHostSession.run(KdAddress.parse("tcp:127.0.0.1:" + port), List.of("r"),
                new BufferedReader(new StringReader("")), new PrintWriter(out, true), new PrintWriter(err, true), WAIT, null);
        assertEquals(1, status);
        assertEquals(List.of("kd: cannot connect to tcp:127.0.0.1:" + port + ": Connection refused"), err.toString().lines().toList());
    }

    @Test
    void badCommandsFailTheBatch() {
        Run r = batch("frobnicate; db zz; q");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("kd: unknown command 'frobnicate'"), r.out());
    }

    @Test
    void interactiveSessionWithCtrlC() throws Exception {
        PipedWriter keyboard = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(keyboard));
        StringWriter out = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out, true);
        AtomicReference<Runnable> ctrlC = new AtomicReference<>();
        CompletableFuture<Integer> session = CompletableFuture.supplyAsync(() -> KdHostSession.run(address(), null, in,
                outWriter, new PrintWriter(new StringWriter(), true), WAIT, ctrlC::set));
        await(() -> ctrlC.get() != null && out.toString().contains("kd> "));
        keyboard.write("g\n");
        keyboard.flush();
        await(() -> !kd.isInDebugger());
        int stopsBefore = count(out.toString(), "Break instruction exception");
        ctrlC.get().run();
        await(() -> count(out.toString(), "Break instruction exception") > stopsBefore);
        keyboard.write("r\nq\n");
        keyboard.flush();
        assertEquals(0, session.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(out.toString().contains("rax="), out.toString());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
