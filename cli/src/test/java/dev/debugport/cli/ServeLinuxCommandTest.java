package dev.debugport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `debugport serve --kd ... -- PROGRAM` and `debugport kd` against it: the kernel debugger on the Linux-backed
 * machine, debugging the real process kdserve (linux/src/test/c/kdserve.c).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeLinuxCommandTest {

    /** What kdserve wrote: the addresses of call_site (a call, then ret), of tick, and of the loop's flag. */
    private record Addresses(long callSite, long tick, long flag) {
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static Addresses addresses(Path file) {
        await(() -> read(file).endsWith("\n"), "kdserve's addresses in " + file);
        String[] words = read(file).trim().split(" ");
        return new Addresses(Long.parseUnsignedLong(words[0], 16), Long.parseUnsignedLong(words[1], 16),
                Long.parseUnsignedLong(words[2], 16));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String rip(long address) {
        return String.format("rip=%016x", address);
    }

    @Test
    void kdDebugsARealProcessAndTheMachineEndsWithIt(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("kd.sock");
        Path file = dir.resolve("addresses");
        StringWriter serveOut = new StringWriter();
        CompletableFuture<Integer> server = CliRun.start(serveOut, "serve", "--kd", "unix:" + socket, "--", CliRun.program("kdserve"),
                file.toString());
        Addresses a = addresses(file);
        await(() -> serveOut.toString().contains("listening on unix:" + socket), "the KD port");

        String callSite = Long.toHexString(a.callSite());
        CliRun kd = CliRun.of("kd", "unix:" + socket, "--timeout", "20", "-c",
                "r; db @rip L10; lm; !process 0 0", "-c",
                "bp " + callSite + "; g; r rip; p; g; t; bc *; eq " + Long.toHexString(a.flag()) + " 1; g; r rip; g");
        assertEquals(0, kd.status(), kd.err() + kd.out());
        String out = kd.out();
        // The handshake's break-in stopped the program's thread (in its usleep): its real registers and code.
        Matcher rip = Pattern.compile("rip=([0-9a-f]{16})").matcher(out);
        assertTrue(rip.find(), out);
        long pc = Long.parseUnsignedLong(rip.group(1), 16);
        assertTrue(out.contains(String.format("%08x`%08x  ", pc >>> 32, pc & 0xFFFF_FFFFL)), "db at rip: " + out);
        assertTrue(out.contains("cs=0033  ss=002b"), out);
        // The process's real modules and the process itself.
        assertTrue(out.contains("   kdserve    (no symbols)"), out);
        assertTrue(out.contains("   libc.so"), out);
        assertTrue(out.contains("    Image: kdserve"), out);
        // The breakpoint in the program's code; p steps over its call, t (from the next hit) goes into it.
        assertTrue(out.contains(String.format("%08x`%08x e8", a.callSite() >>> 32, a.callSite() & 0xFFFF_FFFFL)), out);
        assertTrue(out.contains(rip(a.callSite() + 5)), "p stepped over the call: " + out);
        assertTrue(out.contains(rip(a.tick())), "t went into tick: " + out);
        // The program's own int3 (no user-mode debugger, no handler): KdpTrap reports it first chance.
        assertTrue(out.contains(" cc              int     3"), out);
        assertEquals(4, count(out, "Break instruction exception - code 80000003 (first chance)"), out);

        assertEquals(7, server.get(30, TimeUnit.SECONDS), serveOut.toString());
        assertTrue(serveOut.toString().contains("the program exited with status 7; the machine ends"), serveOut.toString());
        assertTrue(Files.notExists(socket), "the socket file is gone");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
