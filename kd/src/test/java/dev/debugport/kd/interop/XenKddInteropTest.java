package dev.debugport.kd.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdHostListener;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.host.X86ContextLayout;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.transport.KdAcceptor;
import dev.debugport.kd.transport.KdConnection;
import dev.debugport.kd.transport.TcpTransport;
import dev.debugport.nt.NtStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our host client against an independent KD target: Xen's {@code xen-kdd} (the unmodified Debian binary, backed by
 * a fake libxenctrl; {@code src/test/interop/README.md}). kdd connects out to our listening host, simulating a
 * stopped 32-bit guest: EIP 0x1000, "fake guest memory" at 0x2000.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class XenKddInteropTest {
    private static final Path DEST = Path.of("target", "xen-kdd").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Process kdd;
    private KdAcceptor acceptor;
    private KdHostClient host;
    private final List<String> prints = new CopyOnWriteArrayList<>();

    /** Runs the setup script into target/xen-kdd (apt-get download of xen-utils-4.17 and libxen-dev, then gcc). */
    @BeforeAll
    static void setUpKdd() throws Exception {
        Path script = Path.of("src", "test", "interop", "setup-xen-kdd.sh").toAbsolutePath();
        Files.createDirectories(DEST);
        Path log = DEST.resolve("setup.log");
        Process setup = new ProcessBuilder("bash", script.toString(), DEST.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(setup.waitFor(150, TimeUnit.SECONDS), "the xen-kdd setup finished");
        assertEquals(0, setup.exitValue(), () -> "setup-xen-kdd.sh failed:\n" + read(log));
        assertTrue(Files.isExecutable(DEST.resolve("run-kdd.sh")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (acceptor != null) {
            acceptor.close();
        }
        if (kdd != null) {
            kdd.destroy();
            if (!kdd.waitFor(10, TimeUnit.SECONDS)) {
                kdd.destroyForcibly();
            }
        }
    }

    private KdHostClient connectToKdd() throws Exception {
        acceptor = TcpTransport.listen(0);
        int port = ((InetSocketAddress) acceptor.localAddress()).getPort();
        CompletableFuture<KdConnection> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return acceptor.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        kdd = new ProcessBuilder(DEST.resolve("run-kdd.sh").toString(), "127.0.0.1", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(DEST.resolve("kdd.log").toFile()).start();
        KdConnection connection = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return KdHostClient.connect(connection, KdHostClient.Options.defaults().withReadChunk(2048)
                .withListener(new KdHostListener() {
                    @Override
                    public void onPrint(String text) {
                        prints.add(text);
                    }
                }));
    }

    @Test
    void theKdCommandWaitsOnListenForKddAndDebugsIt() throws Exception {
        int port;
        try (KdAcceptor probe = TcpTransport.listen(0)) {
            port = ((InetSocketAddress) probe.localAddress()).getPort();
        }
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int listenPort = port;
        CompletableFuture<Integer> session = CompletableFuture.supplyAsync(() -> dev.debugport.kd.host.KdHostSession.run(
                dev.debugport.kd.transport.KdAddress.parse("listen:127.0.0.1:" + listenPort),
                List.of("version; r; db 2000 L11; r eax=abcd; r eax; g; .breakin; q"),
                new java.io.BufferedReader(new java.io.StringReader("")), new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), WAIT, null));
        // kdd connects out; retry until the host listens.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            kdd = new ProcessBuilder(DEST.resolve("run-kdd.sh").toString(), "127.0.0.1", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(DEST.resolve("kdd-cli.log").toFile()).start();
            if (session.isDone() || !kdd.waitFor(300, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                break; // running (connected), or we gave up
            }
        }
        assertEquals(0, session.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS), err + out.toString());
        String text = out.toString();
        assertTrue(text.contains("x86 compatible target"), text);
        assertTrue(text.contains("eip=00001000"), text);
        assertTrue(text.contains("00002000  66 61 6b 65 20 67 75 65-73 74 20 6d 65 6d 6f 72  fake guest memor"), text);
        assertTrue(text.contains("eax=0000abcd"), text);
        assertTrue(text.contains("00001000 cc              int     3"), text);
    }

    @Test
    void resetVersionMemoryContextContinueAndBreakIn() throws Exception {
        host = connectToKdd();

        // Reset handshake done: kdd is stopped and told us what it is (an x86 machine of unknown OS).
        assertTrue(host.isStopped());
        GetVersion v = host.version();
        assertEquals(0x014C, v.machineType());
        assertEquals(KdArchitecture.X86, host.architecture());
        assertEquals(6, v.protocolVersion());
        KdStateChange stop = host.currentStop();
        assertNotNull(stop);
        assertEquals(0x1000, stop.pc());
        assertEquals(0xCC, stop.instructionStream().getUnsigned(0), "cc c3 at EIP");

        // Memory: read the guest's text, write and read back.
        assertEquals("fake guest memory", new String(host.readVirtual(0x2000, 17), StandardCharsets.ISO_8859_1));
        byte[] pattern = {0x11, 0x22, 0x33, 0x44, 0x55};
        assertEquals(pattern.length, host.writeVirtual(0x3000, pattern));
        assertArrayEquals(pattern, host.readVirtual(0x3000, pattern.length));

        // Context (x86 layout): EIP 0x1000; write EAX and read it back.
        ByteString image = host.getContextImage();
        assertTrue(image.length() >= X86ContextLayout.SIZE, "x86 CONTEXT is 716 bytes, got " + image.length());
        ByteBuffer ctx = ByteBuffer.wrap(image.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int eip = X86ContextLayout.offsetOf("eip").orElseThrow();
        int eax = X86ContextLayout.offsetOf("eax").orElseThrow();
        assertEquals(0x1000, ctx.getInt(eip));
        ctx.putInt(eax, 0x1234_5678);
        assertEquals(NtStatus.STATUS_SUCCESS, host.setContextImage(ByteString.of(ctx.array())));
        ByteBuffer again = ByteBuffer.wrap(host.getContextImage().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1234_5678, again.getInt(eax));

        // Continue: kdd runs (it never stops by itself) ...
        host.clearPendingStops();
        host.go();
        assertFalse(host.isStopped());
        // ... until we break in.
        host.breakIn();
        KdStateChange broke = host.waitForStateChange(WAIT);
        assertNotNull(broke, "kdd stopped after the break-in");
        assertTrue(host.isStopped());
        assertEquals("fake guest memory", new String(host.readVirtual(0x2000, 17), StandardCharsets.ISO_8859_1));
    }
}
