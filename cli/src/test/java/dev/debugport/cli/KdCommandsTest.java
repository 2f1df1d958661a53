package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `debugport serve --kd ... --sim` and `debugport kd CONNECT` end to end, and their one-line errors. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KdCommandsTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitText(StringWriter w, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!w.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + w);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void kdDebugsTheServedMachineOverTcpAndServeEndsWhenTheHostLeaves() throws Exception {
        int port = freePort();
        StringWriter serveOut = new StringWriter();
        CompletableFuture<Integer> server = CliRun.start(serveOut, "serve", "--kd", "tcp:127.0.0.1:" + port, "--sim",
                "--programs", "loop,strings", "--pause", "100");
        awaitText(serveOut, "listening on tcp:127.0.0.1:" + port);

        CliRun kd = CliRun.of("kd", "tcp:127.0.0.1:" + port, "--timeout", "20", "-c", "r; lm; !process 0 0; g; .breakin; q");
        assertEquals(0, kd.status(), kd.err() + kd.out());
        assertTrue(kd.out().contains("Connected to Windows 7 7601 x64 target, ptr64 TRUE"), kd.out());
        assertTrue(kd.out().contains("Break instruction exception - code 80000003 (first chance)"), kd.out());
        assertTrue(kd.out().contains("rip="), kd.out());
        assertTrue(kd.out().contains("    Image: wininit.exe"), kd.out());
        assertTrue(kd.out().contains("nt         (no symbols)"), kd.out());
        assertEquals(0, server.get(30, TimeUnit.SECONDS));
        assertTrue(serveOut.toString().contains("the host disconnected; shutting down"), serveOut.toString());
    }

    @Test
    void serveOnAUnixSocketRemovesItWhenDone(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("kd.sock");
        StringWriter serveOut = new StringWriter();
        CompletableFuture<Integer> server = CliRun.start(serveOut, "serve", "--kd", "unix:" + socket, "--sim", "--programs", "loop");
        awaitText(serveOut, "listening on unix:" + socket);
        CliRun kd = CliRun.of("kd", "unix:" + socket, "-c", "version; q");
        assertEquals(0, kd.status(), kd.err() + kd.out());
        assertTrue(kd.out().contains("Kernel base = 0xfffff800`02a00000"), kd.out());
        assertEquals(0, server.get(30, TimeUnit.SECONDS));
        assertTrue(Files.notExists(socket), "the socket file is gone");
    }

    @Test
    void kdAgainstAPortWhereNothingListensIsOneLineAndStatusOne() throws Exception {
        int port = freePort();
        CliRun r = CliRun.of("kd", "tcp:127.0.0.1:" + port, "-c", "q");
        assertEquals(1, r.status());
        assertEquals(List.of("kd: cannot connect to tcp:127.0.0.1:" + port + ": Connection refused"), r.err().lines().toList());
        assertEquals("", r.out());
    }

    @Test
    void oneLineErrorsForBadArguments() {
        CliRun both = CliRun.of("serve", "--kd", "tcp:127.0.0.1:0", "--sim", "--", "/bin/true");
        assertEquals(2, both.status());
        assertEquals(1, both.err().lines().count(), both.err());
        assertTrue(both.err().contains("either --sim or -- PROGRAM"), both.err());

        CliRun missing = CliRun.of("serve", "--kd", "tcp:127.0.0.1:0", "--", "/nonexistent/program");
        assertEquals(2, missing.status());
        assertEquals(List.of("debugport: cannot run /nonexistent/program: No such file or directory (ENOENT)"),
                missing.err().lines().toList());

        CliRun remote = CliRun.of("serve", "--kd", "tcp:0.0.0.0:0", "--sim");
        assertEquals(2, remote.status());
        assertTrue(remote.err().contains("--allow-remote"), remote.err());

        CliRun noSim = CliRun.of("serve", "--kd", "tcp:127.0.0.1:0");
        assertEquals(2, noSim.status());

        CliRun badAddress = CliRun.of("kd", "serial:COM1");
        assertEquals(2, badAddress.status());
        assertEquals(1, badAddress.err().lines().count(), badAddress.err());
    }
}
