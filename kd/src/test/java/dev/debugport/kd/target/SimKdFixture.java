package dev.debugport.kd.target;

import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdHostListener;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.link.KdLinkConfig;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.TcpTransport;
import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.EThread;
import dev.debugport.sim.SimMachine;
import dev.debugport.sim.SimProgram;
import dev.debugport.sim.memory.PageProtection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A simulated machine with the kernel debugger listening on a loopback TCP port, and one guest ("kdtest.exe") that
 * runs a small code loop ({@link #loopCode()}) and prints with DbgPrint when asked.
 */
final class SimKdFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Fast link timing so that "after the retries" takes 20 x 20 ms (only where a silent host is the point). */
    static final KdLinkConfig FAST_TARGET_LINK = KdLinkConfig.forTarget().withTimeouts(20, 1000, 100);

    final SimMachine machine = SimMachine.create();
    final EThread hostThread = machine.createHostThread("services.exe");
    final KdTarget kd;
    final KdAcceptor acceptor;
    final AtomicLong codeAddress = new AtomicLong();
    final AtomicLong iterations = new AtomicLong();
    final AtomicBoolean printRequest = new AtomicBoolean();
    final AtomicBoolean exit = new AtomicBoolean();
    final EProcess guest;
    final List<String> prints = new CopyOnWriteArrayList<>();

    SimKdFixture() throws IOException {
        kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
        acceptor = TcpTransport.listen(0);
        kd.listen(acceptor);
        SimProgram program = SimProgram.of("kdtest", g -> {
            long code = g.allocate(0x1000, PageProtection.PAGE_EXECUTE_READWRITE);
            g.write(code, loopCode());
            codeAddress.set(code);
            while (!exit.get()) {
                g.execute(code, 16);
                if (printRequest.getAndSet(false)) {
                    kd.dbgPrint(g.thread(), "hello from kdtest\n");
                }
                iterations.incrementAndGet();
                g.safePoint();
            }
        });
        guest = machine.createProcess(hostThread, program).value().process();
        await(() -> codeAddress.get() != 0 && iterations.get() > 0, "the guest runs");
    }

    /**
     * The guest's code: {@code nop x 7; jmp code}. A jump closes the loop, not a {@code ret}: the sim's interpreter
     * leaves at a {@code ret} without reporting a pending single step, so a host's {@code t} from a break-in that
     * landed on a {@code ret} would never stop. Every instruction here can be stepped, wherever a break-in lands.
     */
    static byte[] loopCode() {
        return new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90,
            (byte) 0xEB, (byte) 0xF7};
    }

    int port() {
        return ((InetSocketAddress) acceptor.localAddress()).getPort();
    }

    KdHostClient connect() throws IOException {
        return KdHostClient.connect(TcpTransport.connect(port()), KdHostClient.Options.defaults()
                .withListener(new KdHostListener() {
                    @Override
                    public void onPrint(String text) {
                        prints.add(text);
                    }
                }));
    }

    static KdStateChange stop(KdHostClient client) {
        KdStateChange s = client.waitForStateChange(WAIT);
        if (s == null) {
            throw new AssertionError("the target did not stop");
        }
        return s;
    }

    /** Waits for {@code condition}, polling every few milliseconds. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    @Override
    public void close() throws IOException {
        exit.set(true);
        kd.close();
        acceptor.close();
        SimMachine.awaitExit(guest, WAIT);
        machine.terminateAllGuests(0, WAIT);
    }
}
