package dev.debugport.bench;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.ReadVirtualMemory;
import dev.debugport.kd.target.KdKernelLayout;
import dev.debugport.kd.target.KdTarget;
import dev.debugport.kd.target.KdTargetConfig;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdConnection;
import dev.debugport.kd.transport.TcpTransport;
import dev.debugport.kd.transport.UnixSocketTransport;
import dev.debugport.sim.SimMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * KD figures (not a test; {@code bench/run-kd}):
 * <ul>
 *   <li>memory-read throughput between our host and our target on the simulated machine, over loopback TCP and a
 *       UNIX-domain socket: ReadVirtualMemory of 3944 bytes (the most one reply carries) at the kernel image, one
 *       request at a time, in MB/s (10^6 bytes of memory read per second);</li>
 *   <li>the same exchange as raw socket echo: the host sends the 73-byte request packet, the "target" answers with
 *       the 16-byte ACK plus the 4017-byte reply packet, the host ACKs with 16 bytes; no KD code at all. The ratio is
 *       how much of the transport's round-trip capacity KD uses. The machine's cores are shared with other work, so
 *       KD and the raw echo run in alternating rounds (after a warm-up of each) over the same two open connections,
 *       and the figures are the medians of the rounds and of the per-round ratios: a change of load hits both
 *       sides of a ratio alike. The CPU time of the process per exchange (both ends run in it) is printed too: it
 *       depends far less on the load than the rates do;</li>
 *   <li>break-in latency: from sending the break-in byte to receiving the state change (the target polls at every
 *       15.625 ms clock tick, so the expected median is about half a tick). The byte goes out after a random pause
 *       following the continue, so that it lands at a random phase of the tick.</li>
 * </ul>
 * Arguments: {@code [seconds of each throughput round] [break-in samples] [rounds]} (default 1, 200 and 7).
 */
public final class KdBenchmark {
    /** The request packet of a ReadVirtualMemory: header 16 + manipulate 56 + trailer 1. */
    static final int REQUEST_BYTES = 16 + 56 + 1;
    /** The target's ACK (16) plus the reply packet: header 16 + manipulate 56 + 3944 data + trailer 1. */
    static final int REPLY_BYTES = 16 + 16 + 56 + KdHostClient.MAX_TRANSFER + 1;
    /** The host's ACK of the reply. */
    static final int ACK_BYTES = 16;

    private KdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        System.out.printf(Locale.ROOT, "KD benchmark: %s %s, %d cores, JDK %s, load average %s%n", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAverage());
        System.out.printf(Locale.ROOT, "memory read, %d-byte ReadVirtualMemory, %d alternating rounds of %.1f s (medians)%n",
                KdHostClient.MAX_TRANSFER, rounds, seconds);
        System.out.printf(Locale.ROOT, "  %-6s %20s %22s %8s %18s %s%n", "", "KD host<->target", "raw echo, same sizes",
                "KD/raw", "CPU/exchange KD raw", "  per-round ratios");
        Path dir = Files.createTempDirectory("kdbench");
        for (String transport : new String[] {"tcp", "unix"}) {
            try (Session kd = Session.open(transport, dir.resolve("kd-" + transport + ".sock"));
                 RawEcho raw = RawEcho.open(transport, dir.resolve("raw-" + transport + ".sock"))) {
                ReadVirtualMemory request = ReadVirtualMemory.request(KdKernelLayout.KERN_BASE, KdHostClient.MAX_TRANSFER);
                runFor(kd, request, seconds); // warm-up
                raw.runFor(seconds);
                double[] kdRates = new double[rounds];
                double[] kdMbs = new double[rounds];
                double[] rawMbs = new double[rounds];
                double[] ratios = new double[rounds];
                double[] kdCpu = new double[rounds];
                double[] rawCpu = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    double[] k = runFor(kd, request, seconds);
                    kdMbs[r] = k[0];
                    kdRates[r] = k[1];
                    kdCpu[r] = k[2];
                    double[] e = raw.runFor(seconds);
                    rawMbs[r] = e[0];
                    rawCpu[r] = e[1];
                    ratios[r] = kdMbs[r] / rawMbs[r];
                }
                StringBuilder each = new StringBuilder();
                for (double q : ratios) {
                    each.append(String.format(Locale.ROOT, " %.2f", q));
                }
                System.out.printf(Locale.ROOT, "  %-6s %9.1f MB/s %5.0f/s %13.1f MB/s %7.2f %8.1f µs %5.1f µs  %s%n", transport,
                        median(kdMbs), median(kdRates), median(rawMbs), median(ratios), median(kdCpu), median(rawCpu), each);
            }
        }
        System.out.printf(Locale.ROOT, "load average after the throughput runs %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "break-in latency (break-in byte -> state change), %d samples, clock tick %.3f ms%n",
                samples, 15.625);
        for (String transport : new String[] {"tcp", "unix"}) {
            double[] ms = breakInLatency(transport, dir.resolve("bi-" + transport + ".sock"), samples);
            Arrays.sort(ms);
            double mean = Arrays.stream(ms).average().orElse(0);
            System.out.printf(Locale.ROOT, "  %-6s median %6.2f ms  p90 %6.2f ms  max %6.2f ms  mean %6.2f ms%n", transport,
                    ms[ms.length / 2], ms[(int) (ms.length * 0.9)], ms[ms.length - 1], mean);
        }
    }

    /** A simulated machine with KD listening on {@code transport}, and our host connected to it. */
    private record Session(SimMachine machine, KdTarget target, KdAcceptor acceptor, KdHostClient host) implements AutoCloseable {
        static Session open(String transport, Path socket) throws IOException {
            SimMachine machine = SimMachine.create();
            KdTarget target = KdTarget.install(machine.kernel(), KdTargetConfig.defaults());
            KdAcceptor acceptor = transport.equals("tcp") ? TcpTransport.listen(0) : UnixSocketTransport.listen(socket);
            target.listen(acceptor);
            KdConnection c = transport.equals("tcp")
                    ? TcpTransport.connect(((InetSocketAddress) acceptor.localAddress()).getPort())
                    : UnixSocketTransport.connect(socket);
            KdHostClient host = KdHostClient.connect(c, KdHostClient.Options.defaults());
            return new Session(machine, target, acceptor, host);
        }

        @Override
        public void close() throws IOException {
            host.close();
            target.close();
            acceptor.close();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** @return /proc/loadavg's first three figures, or "?" */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** @return the CPU time of this process (every thread: both ends of the exchange run in it), in nanoseconds */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return {MB/s, requests/s, CPU microseconds per request} */
    private static double[] runFor(Session s, ReadVirtualMemory request, double seconds) {
        long bytes = 0;
        long requests = 0;
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            DbgkdManipulateState64 reply = s.host().request(request, ByteString.EMPTY);
            bytes += reply.extraData().length();
            requests++;
            now = System.nanoTime();
        } while (now < end);
        double elapsed = (now - start) / 1e9;
        return new double[] {bytes / 1e6 / elapsed, requests / elapsed, (processCpuNanos() - cpu) / 1e3 / requests};
    }

    /**
     * KD's request/reply sizes over a raw socket: an echo thread answers each request with the reply's bytes and
     * reads the ACK, with no KD code at all.
     */
    private record RawEcho(ServerSocketChannel server, SocketChannel client, Thread echo) implements AutoCloseable {
        static RawEcho open(String transport, Path socket) throws IOException {
            ServerSocketChannel server = transport.equals("tcp") ? ServerSocketChannel.open()
                    : ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(transport.equals("tcp") ? new InetSocketAddress("127.0.0.1", 0) : UnixDomainSocketAddress.of(socket));
            Thread echo = Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel peer = server.accept()) {
                    tune(peer);
                    ByteBuffer request = ByteBuffer.allocate(REQUEST_BYTES);
                    ByteBuffer reply = ByteBuffer.allocate(REPLY_BYTES);
                    ByteBuffer ack = ByteBuffer.allocate(ACK_BYTES);
                    while (readFully(peer, request.clear())) {
                        writeFully(peer, reply.clear());
                        if (!readFully(peer, ack.clear())) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // benchmark over
                }
            });
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            tune(client);
            return new RawEcho(server, client, echo);
        }

        /** @return {MB/s of "memory" moved, CPU microseconds per exchange} */
        double[] runFor(double seconds) throws IOException {
            ByteBuffer request = ByteBuffer.allocate(REQUEST_BYTES);
            ByteBuffer reply = ByteBuffer.allocate(REPLY_BYTES);
            ByteBuffer ack = ByteBuffer.allocate(ACK_BYTES);
            long rounds = 0;
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
                writeFully(client, request.clear());
                readFully(client, reply.clear());
                writeFully(client, ack.clear());
                rounds++;
                now = System.nanoTime();
            } while (now < end);
            return new double[] {rounds * (double) KdHostClient.MAX_TRANSFER / 1e6 / ((now - start) / 1e9),
                    (processCpuNanos() - cpu) / 1e3 / rounds};
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
            try {
                echo.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void tune(SocketChannel c) throws IOException {
        if (c.getLocalAddress() instanceof InetSocketAddress) {
            c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** @return the latencies in milliseconds */
    static double[] breakInLatency(String transport, Path socket, int samples) throws IOException {
        try (Session s = Session.open(transport, socket)) {
            double[] ms = new double[samples];
            for (int i = -10; i < samples; i++) { // ten to warm up
                s.host().clearPendingStops();
                s.host().go();
                // A random pause, so that the break-in byte lands at a random phase of the target's clock tick.
                java.util.concurrent.locks.LockSupport.parkNanos(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong(2 * 15_625_000L));
                long start = System.nanoTime();
                s.host().breakIn();
                KdStateChange stop = s.host().waitForStateChange(Duration.ofSeconds(10));
                long took = System.nanoTime() - start;
                if (stop == null) {
                    throw new IllegalStateException("no stop after the break-in");
                }
                if (i >= 0) {
                    ms[i] = took / 1e6;
                }
            }
            return ms;
        }
    }

    static {
        if (KdConstants.PACKET_MAX_SIZE != 4000) {
            throw new AssertionError("sizes assume PACKET_MAX_SIZE 4000");
        }
    }
}
