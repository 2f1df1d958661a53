package dev.debugport.kd.target;

import static dev.debugport.kd.target.SimKdFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdControlPacket;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.host.KdHostClient;
import dev.debugport.kd.host.KdHostListener;
import dev.debugport.kd.host.KdStateChange;
import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kd.message.Amd64ContextLayout;
import dev.debugport.kd.message.Continue;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionStateChange;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdMessageDecodeResult;
import dev.debugport.kd.message.ReadVirtualMemory;
import dev.debugport.kd.message.SetContext;
import dev.debugport.kd.message.UnknownApi;
import dev.debugport.kd.transport.InMemoryConnection;
import dev.debugport.kernel.KernelDebuggerState;
import dev.debugport.nt.NtStatus;
import dev.debugport.sim.SimMachine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The target engine on the wire: ids, RESET while stopped, replies, and the global flags. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KdTargetProtocolTest {
    private static final Duration WAIT = SimKdFixture.WAIT;

    private final SimMachine machine = SimMachine.create();
    private KdTarget kd;

    @AfterEach
    void tearDown() {
        if (kd != null) {
            kd.close();
        }
        machine.terminateAllGuests(0, WAIT);
    }

    private KdTarget install(KdTargetConfig config) {
        kd = KdTarget.install(machine.kernel(), config);
        return kd;
    }

    private static DbgkdManipulateState64 manipulate(KdDataPacket p) {
        assertEquals(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(), p.packetType());
        return (DbgkdManipulateState64) ((KdMessageDecodeResult.Decoded) RawPeer.CODEC.decode(p)).message();
    }

    @Test
    void firstStateChangeCarriesTheBootIdAndAResetWhileStoppedResendsIt() throws Exception {
        install(KdTargetConfig.defaults());
        try (RawPeer peer = new RawPeer()) {
            kd.attach(peer.targetSide);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> kd.dbgBreakPoint(null));

            KdDataPacket first = peer.nextData(WAIT);
            assertEquals(KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value(), first.packetType());
            assertEquals(0x80800800, first.packetId(), "INITIAL_PACKET_ID | SYNC_PACKET_ID");
            DbgkdWaitStateChange64 change = (DbgkdWaitStateChange64) ((KdMessageDecodeResult.Decoded)
                    RawPeer.CODEC.decode(first)).message();
            assertEquals(KdKernelLayout.DBG_BREAK_POINT_WITH_STATUS, change.programCounter(), "no process: the idle thread");
            assertEquals(KdKernelLayout.IDLE_THREAD, change.thread());
            assertEquals(NtStatus.STATUS_BREAKPOINT.value(),
                    ((ExceptionStateChange) change.info()).exceptionRecord().exceptionCode());
            assertEquals(ByteString.hex("cc c3"), change.controlReport().instructionStream().substring(0, 2));

            // The host ACKs (SYNC cleared), then resets: the target answers RESET and sends the stop again.
            peer.send(KdControlPacket.ack(0x80800000));
            peer.send(KdControlPacket.reset());
            peer.nextControl(KdPacketType.PACKET_TYPE_KD_RESET.value(), WAIT);
            KdDataPacket again = peer.nextData(WAIT);
            assertEquals(KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value(), again.packetType());
            assertEquals(0x80800000, again.packetId());
            peer.send(KdControlPacket.ack(0x80800000));

            peer.sendRequest(0x80800000, GetVersion.request());
            assertEquals(0x80800000, peer.nextControl(KdPacketType.PACKET_TYPE_KD_ACKNOWLEDGE.value(), WAIT).packetId());
            KdDataPacket versionPacket = peer.nextData(WAIT);
            assertEquals(0x80800001, versionPacket.packetId());
            GetVersion v = (GetVersion) manipulate(versionPacket).api();
            assertEquals(Win7Amd64.BUILD, v.minorVersion());
            assertEquals(0x31, v.maxManipulate());
            assertEquals(0x6, v.flags());
            peer.send(KdControlPacket.ack(0x80800001));

            // An API this kernel does not know: header echoed, STATUS_UNSUCCESSFUL, no data.
            UnknownApi unknown = new UnknownApi(0x3154, ByteString.hex("01".repeat(40)));
            peer.sendRequest(0x80800001, unknown);
            KdDataPacket failed = peer.nextData(WAIT);
            DbgkdManipulateState64 reply = manipulate(failed);
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, reply.returnStatus());
            assertEquals(unknown, reply.api());
            assertTrue(reply.extraData().isEmpty());
            peer.send(KdControlPacket.ack(failed.packetId()));

            peer.sendRequest(0x80800000, new Continue(NtStatus.DBG_CONTINUE));
            stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(kd.isInDebugger());
        }
    }

    @Test
    void aHostThatStopsAnsweringIsGivenUpAfterTheRetriesAndTheMachineGoesOn() throws Exception {
        install(KdTargetConfig.defaults().withLinkConfig(SimKdFixture.FAST_TARGET_LINK));
        KernelDebuggerState flags = machine.kernel().kernelDebuggerState();
        try (RawPeer peer = new RawPeer()) {
            kd.attach(peer.targetSide);
            peer.send(KdControlPacket.reset()); // a leader: someone is there
            peer.nextControl(KdPacketType.PACKET_TYPE_KD_RESET.value(), WAIT);
            await(() -> !flags.kdDebuggerNotPresent(), "the leader clears KdDebuggerNotPresent");
            assertEquals(KernelDebuggerState.SHARED_KD_ENABLED | KernelDebuggerState.SHARED_KD_PRESENT,
                    flags.sharedUserDataKdDebuggerEnabled());

            long start = System.nanoTime();
            kd.dbgBreakPoint(null); // nobody acknowledges the state change
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(flags.kdDebuggerNotPresent(), "KdDebuggerNotPresent after the retries");
            assertEquals(KernelDebuggerState.SHARED_KD_ENABLED, flags.sharedUserDataKdDebuggerEnabled());
            assertTrue(tookMillis >= 20L * 20 - 20, "20 retries of 20 ms, took " + tookMillis + " ms");
            assertFalse(kd.isInDebugger());
            assertEquals(NtStatus.of(0xC000009D), kd.dbgPrint(null, "nobody listens\n"), "STATUS_DEVICE_NOT_CONNECTED");
        }
    }

    @Test
    void printsAndPromptsReachTheHostAndFlagsFollowThePort() throws Exception {
        install(KdTargetConfig.defaults());
        KernelDebuggerState flags = machine.kernel().kernelDebuggerState();
        assertTrue(flags.kdDebuggerEnabled());
        assertFalse(flags.kdPitchDebugger());
        assertTrue(flags.kdDebuggerNotPresent());
        assertTrue(machine.kernel().clock().isRunning(), "KdPollBreakIn is on the clock");
        assertEquals(NtStatus.of(0xC000009D), kd.dbgPrint(null, "before any host\n"));
        assertFalse(flags.kdEnteredDebugger(), "a print to nobody does not enter the debugger");

        List<String> prints = new CopyOnWriteArrayList<>();
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        kd.attach(pair.first());
        try (KdHostClient host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults()
                .withListener(new KdHostListener() {
                    @Override
                    public void onPrint(String text) {
                        prints.add(text);
                    }

                    @Override
                    public String onPrompt(String prompt, int maxLength) {
                        prints.add("prompt:" + prompt + "/" + maxLength);
                        return "yes, continue";
                    }
                }))) {
            // SetContext needs a GetContext in the same stop.
            ByteString image = Amd64ContextLayout.encode(dev.debugport.nt.Amd64Context.zero());
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, host.request(new SetContext(0x10001F), image).returnStatus());
            host.getContextImage();
            assertEquals(NtStatus.STATUS_SUCCESS, host.setContextImage(host.getContextImage()));

            // Reads are clamped to 3944 bytes and stop at the first unmapped byte.
            DbgkdManipulateState64 big = host.request(ReadVirtualMemory.request(KdKernelLayout.KERN_BASE, 5000), ByteString.EMPTY);
            assertEquals(NtStatus.STATUS_SUCCESS, big.returnStatus());
            assertEquals(3944, ((ReadVirtualMemory) big.api()).actualBytesRead());
            long end = KdKernelLayout.KDCOM_BASE + KdKernelLayout.KDCOM_SIZE;
            DbgkdManipulateState64 partial = host.request(ReadVirtualMemory.request(end - 4, 8), ByteString.EMPTY);
            assertEquals(NtStatus.STATUS_UNSUCCESSFUL, partial.returnStatus());
            assertEquals(4, partial.extraData().length());

            // Control space and MSRs.
            assertEquals(KdKernelLayout.KPCR, ByteBuffer.wrap(host.readControlSpace(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
            assertEquals(KdKernelLayout.KPRCB, ByteBuffer.wrap(host.readControlSpace(1, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
            assertEquals(KdKernelLayout.IDLE_THREAD, ByteBuffer.wrap(host.readControlSpace(3, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong());
            byte[] special = host.readControlSpace(2, 0x100);
            assertEquals(KdKernelImage.SPECIAL_REGISTERS_SIZE, special.length);
            assertEquals(KdKernelLayout.SYSTEM_DIRECTORY_TABLE_BASE, ByteBuffer.wrap(special).order(ByteOrder.LITTLE_ENDIAN).getLong(0x10));
            assertEquals(0, host.readControlSpace(7, 8).length);
            assertEquals(KdKernelLayout.KI_SYSTEM_CALL64, host.readMsr(0xC000_0082).orElseThrow());
            assertTrue(host.readMsr(0x1234).isEmpty());

            // The flags in the synthetic kernel and in KUSER_SHARED_DATA, at both of its addresses.
            assertArrayEquals(new byte[] {1, 0, 0, 1}, host.readVirtual(KdKernelLayout.KD_DEBUGGER_ENABLED, 4));
            assertArrayEquals(new byte[] {3}, host.readVirtual(Win7Amd64.KUSER_SHARED_DATA_KERNEL + Win7Amd64.KUSER_KD_DEBUGGER_ENABLED, 1));

            host.go();
            assertEquals(NtStatus.STATUS_SUCCESS, kd.dbgPrint(null, "hello, host\n"));
            await(() -> prints.contains("hello, host\n"), "the print arrived");
            assertEquals("yes, continue", kd.dbgPrompt(null, "Continue? ", 64).orElseThrow());
            assertTrue(prints.contains("prompt:Continue? /64"));
            assertEquals("yes", kd.dbgPrompt(null, "Short? ", 3).orElseThrow(), "cut to the buffer offered");
            // Filtered prints never leave the machine.
            assertEquals(NtStatus.STATUS_SUCCESS, kd.dbgPrintEx(null, 77, KdTarget.DPFLTR_INFO_LEVEL, "filtered\n"));
            kd.setDebugFilterState(77, KdTarget.DPFLTR_INFO_LEVEL, true);
            kd.dbgPrintEx(null, 77, KdTarget.DPFLTR_INFO_LEVEL, "shown\n");
            await(() -> prints.contains("shown\n"), "the unfiltered print arrived");
            assertFalse(prints.contains("filtered\n"));
        }
        await(flags::kdDebuggerNotPresent, "the host left");
    }

    @Test
    void bootOptionsDecideTheFlags() {
        KdTarget off = install(KdTargetConfig.defaults().withBootOptions(KdBootOptions.NODEBUG));
        KernelDebuggerState flags = machine.kernel().kernelDebuggerState();
        assertFalse(flags.kdDebuggerEnabled());
        assertTrue(flags.kdPitchDebugger());
        assertTrue(flags.kdDebuggerNotPresent());
        assertEquals(0, flags.sharedUserDataKdDebuggerEnabled());
        assertFalse(machine.kernel().clock().isRunning(), "no break-in polling without KD");
        assertEquals(NtStatus.STATUS_ACCESS_DENIED, off.enableDebugger(), "a pitched debugger stays off");
        off.close();
        assertEquals(KernelDebuggerState.NONE, machine.kernel().kernelDebuggerState());

        KdTarget crash = install(KdTargetConfig.defaults().withBootOptions(KdBootOptions.CRASHDEBUG));
        flags = machine.kernel().kernelDebuggerState();
        assertFalse(flags.kdDebuggerEnabled());
        assertFalse(flags.kdPitchDebugger());
        crash.close();

        KdTarget disabled = install(KdTargetConfig.defaults().withBootOptions(KdBootOptions.DEBUG_DISABLE));
        flags = machine.kernel().kernelDebuggerState();
        assertFalse(flags.kdDebuggerEnabled());
        assertFalse(flags.kdPitchDebugger());
        assertEquals(NtStatus.STATUS_SUCCESS, disabled.enableDebugger());
        assertTrue(flags.kdDebuggerEnabled());
        assertEquals(KernelDebuggerState.SHARED_KD_ENABLED, flags.sharedUserDataKdDebuggerEnabled());
        assertEquals(NtStatus.STATUS_SUCCESS, disabled.disableDebugger());
        assertFalse(flags.kdDebuggerEnabled());
        assertEquals(0, flags.sharedUserDataKdDebuggerEnabled());
        disabled.close();
        assertFalse(machine.kernel().clock().isRunning(), "the clock stops with its last hook");
    }

    @Test
    void rebootRestartsTheLinkAndStopsAgain() throws Exception {
        int[] reboots = {0};
        install(KdTargetConfig.defaults().withRebootHandler(() -> reboots[0]++));
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        kd.attach(pair.first());
        try (KdHostClient host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults())) {
            host.clearPendingStops();
            host.reboot();
            KdStateChange again = host.waitForStateChange(WAIT);
            assertNotNull(again, "the initial break of the new boot");
            assertEquals(1, reboots[0]);
            assertTrue(host.isStopped());
            assertEquals(Win7Amd64.BUILD, host.getVersion().minorVersion(), "requests work with the restarted ids");

            host.causeBugCheck();
            KdStateChange bugcheck = host.waitForStateChange(WAIT);
            assertNotNull(bugcheck);
            assertEquals(KdKernelLayout.KE_BUG_CHECK_EX, bugcheck.pc());
            host.go();
        }
    }

    @Test
    void aHostWaitingOnTheLineAtBootSeesTheBootImagesSymbolLoads() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
            List<String> paths = new CopyOnWriteArrayList<>();
            try (KdHostClient host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults())) {
                paths.add(host.currentStop().change().imagePath().orElse("?"));
                host.go();
                KdStateChange next = host.waitForStateChange(WAIT);
                paths.add(next == null ? "none" : next.change().imagePath().orElse("?"));
                host.go();
            }
            return paths;
        });
        kd = KdTarget.install(machine.kernel(), KdTargetConfig.defaults(), pair.first()); // returns after both loads
        assertEquals(List.of("\\SystemRoot\\system32\\ntoskrnl.exe", "\\SystemRoot\\system32\\hal.dll"),
                seen.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(machine.kernel().kernelDebuggerState().kdEnteredDebugger());
    }

    @Test
    void aRadare2ReadLimitKeepsEveryReplyWithin2048Bytes() {
        install(KdTargetConfig.defaults().withReadLimit(KdTargetConfig.RADARE2_READ_LIMIT));
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        kd.attach(pair.first());
        try (KdHostClient host = KdHostClient.connect(pair.second(), KdHostClient.Options.defaults())) {
            DbgkdManipulateState64 r = host.request(ReadVirtualMemory.request(KdKernelLayout.KERN_BASE, 2048), ByteString.EMPTY);
            assertEquals(1992, r.extraData().length());
            assertEquals(2048, DbgkdManipulateState64.HEADER_SIZE + r.extraData().length());
            assertEquals(5000, host.readVirtual(KdKernelLayout.KERN_BASE, 5000).length, "the host reads on in chunks");
            host.go();
        }
    }

    @Test
    void theClockTicksEvery15msWhileTheDebuggerPollsForBreakIns() {
        install(KdTargetConfig.defaults());
        var clock = machine.kernel().clock();
        long start = clock.tickCount();
        long t0 = System.nanoTime();
        await(() -> clock.tickCount() >= start + 8, "eight ticks");
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(elapsedMillis >= 7 * 15, "eight ticks of 15.625 ms take at least ~110 ms, took " + elapsedMillis);
    }

    @Test
    void aSecondHostIsRefusedWhileOneIsAttached() {
        install(KdTargetConfig.defaults());
        kd.attach(InMemoryConnection.pair().first());
        assertInstanceOf(IllegalStateException.class, org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> kd.attach(InMemoryConnection.pair().first())));
    }
}
