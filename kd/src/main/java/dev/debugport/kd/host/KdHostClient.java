package dev.debugport.kd.host;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdFrameDecoder;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.link.KdLinkConfig;
import dev.debugport.kd.link.KdLinkEndpoint;
import dev.debugport.kd.link.KdLinkEvent;
import dev.debugport.kd.link.KdLinkRole;
import dev.debugport.kd.link.KdLinkState;
import dev.debugport.kd.message.Amd64ContextLayout;
import dev.debugport.kd.message.Continue2;
import dev.debugport.kd.message.DbgkdDebugIo;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.GetContext;
import dev.debugport.kd.message.GetString;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.KdMessageDecodeResult;
import dev.debugport.kd.message.ManipulateApi;
import dev.debugport.kd.message.ManipulateApiNumber;
import dev.debugport.kd.message.PrintString;
import dev.debugport.kd.message.ReadControlSpace;
import dev.debugport.kd.message.ReadMachineSpecificRegister;
import dev.debugport.kd.message.ReadVirtualMemory;
import dev.debugport.kd.message.Reboot;
import dev.debugport.kd.message.RestoreBreakPoint;
import dev.debugport.kd.message.SetContext;
import dev.debugport.kd.message.WriteBreakPoint;
import dev.debugport.kd.message.WriteVirtualMemory;
import dev.debugport.kd.transport.KdConnection;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host side of KD (the part WinDbg plays), as a library: connect with the reset handshake, break in, wait for
 * state changes, and, while the target is stopped, one manipulate request at a time (memory, context, breakpoints,
 * continue, reboot, version). DbgPrint output and prompts go to a {@link KdHostListener} as they arrive; a target's
 * FILE_IO request is refused with STATUS_NO_SUCH_FILE, as radare2 does.
 *
 * <pre>
 *  try (KdHostClient kd = KdHostClient.connect(TcpTransport.connect(50000), KdHostClient.Options.defaults())) {
 *      KdStateChange stop = kd.currentStop();          // the handshake stops the target
 *      byte[] mz = kd.readVirtual(kd.version().kernBase(), 2);
 *      kd.go();                                         // Continue2(DBG_CONTINUE)
 *      kd.breakIn();
 *      stop = kd.waitForStateChange(Duration.ofSeconds(5));
 *  }
 * </pre>
 *
 * <p>Thread-safe: requests are serialised; one internal thread receives. A request's caller reads its reply from
 * the connection itself ({@code KdLinkEndpoint.pull}), so a request/reply round trip hands nothing between threads.
 */
public final class KdHostClient implements AutoCloseable {
    /** STATUS_NO_SUCH_FILE, the answer to a FILE_IO request. */
    static final int STATUS_NO_SUCH_FILE = 0xC000000F;
    /** DbgKdCreateFileApi. */
    static final int CREATE_FILE_API = 0x3430;
    /** The largest read one ReadVirtualMemory reply carries. */
    public static final int MAX_TRANSFER = KdConstants.PACKET_MAX_SIZE - DbgkdManipulateState64.HEADER_SIZE;

    /**
     * How the client behaves.
     *
     * @param linkConfig the link's timeouts (a host retries every packet type)
     * @param handshakeTimeout how long connect waits for the RESET answer and the first state change
     * @param requestTimeout how long a manipulate request waits for its reply
     * @param readChunk the largest read per request (radare2 uses 2048; WinDbg up to 3944)
     * @param listener where stops, prints and prompts go
     */
    public record Options(KdLinkConfig linkConfig, Duration handshakeTimeout, Duration requestTimeout, int readChunk,
                          KdHostListener listener) {
        /** Checks the values. */
        public Options {
            Objects.requireNonNull(linkConfig, "linkConfig");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(listener, "listener");
            if (readChunk < 1 || readChunk > MAX_TRANSFER) {
                throw new IllegalArgumentException("readChunk must be 1.." + MAX_TRANSFER);
            }
        }

        /** @return 10 s handshake and request timeouts, 3944-byte reads, no listener */
        public static Options defaults() {
            return new Options(KdLinkConfig.forHost(), Duration.ofSeconds(10), Duration.ofSeconds(10), MAX_TRANSFER,
                    KdHostListener.NONE);
        }

        public Options withListener(KdHostListener l) {
            return new Options(linkConfig, handshakeTimeout, requestTimeout, readChunk, l);
        }

        public Options withTimeouts(Duration handshake, Duration request) {
            return new Options(linkConfig, handshake, request, readChunk, listener);
        }

        public Options withReadChunk(int chunk) {
            return new Options(linkConfig, handshakeTimeout, requestTimeout, chunk, listener);
        }
    }

    /** What the receiving thread takes from the link, in order. */
    private sealed interface Input {
    }

    private record Packet(KdDataPacket packet) implements Input {
    }

    private record ResetDone() implements Input {
    }

    private record Closed() implements Input {
    }

    private final KdLinkEndpoint endpoint;
    private final Options options;
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private final BlockingQueue<DbgkdManipulateState64> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<KdStateChange> stops = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> resetDone = new CompletableFuture<>();
    private final Object requestLock = new Object();
    private final Thread receiver;
    private volatile KdArchitecture architecture = KdArchitecture.AMD64;
    private volatile KdMessageCodec codec = new KdMessageCodec(KdArchitecture.AMD64);
    private volatile KdStateChange currentStop;
    private volatile boolean stopped;
    private volatile boolean closed;
    private volatile GetVersion version;

    private KdHostClient(KdConnection connection, Options options) {
        this.options = options;
        this.endpoint = KdLinkEndpoint.start(connection, new KdLinkState(KdLinkRole.HOST, options.linkConfig()),
                new KdFrameDecoder(), "host", this::onLinkEvent);
        this.receiver = Thread.ofPlatform().daemon().name("kd-host-receiver").start(this::receiveLoop);
        endpoint.closedFuture().handle((ok, error) -> {
            inputs.add(new Closed());
            return null;
        });
    }

    /**
     * Connects to a target over {@code connection} with the reset handshake of {@code spec/kd.md} §5.3: break-in
     * byte, RESET (repeated until answered), wait for the target's state change, then GetVersion. Returns with the
     * target stopped.
     *
     * @throws KdHostException if the target does not answer in time (the connection is closed then)
     */
    public static KdHostClient connect(KdConnection connection, Options options) {
        KdHostClient client = new KdHostClient(connection, options);
        try {
            client.handshake();
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void handshake() {
        endpoint.sendBreakIn();
        endpoint.startReset();
        long deadline = System.nanoTime() + options.handshakeTimeout().toNanos();
        try {
            resetDone.get(options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new KdHostException("the target did not answer the RESET within " + options.handshakeTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new KdHostException("the connection closed during the handshake", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdHostException("interrupted");
        }
        if (!stopped) {
            long left = deadline - System.nanoTime();
            if (waitForStateChange(Duration.ofNanos(Math.max(left, 1))) == null) {
                throw new KdHostException(closed ? "the connection closed during the handshake"
                        : "the target did not stop within " + options.handshakeTimeout().toSeconds() + " s");
            }
        }
        version = getVersion();
        KdArchitecture arch = version.machineType() == KdArchitecture.X86.machineType() ? KdArchitecture.X86
                : KdArchitecture.AMD64;
        architecture = arch;
        codec = new KdMessageCodec(arch);
        KdStateChange s = currentStop;
        if (s != null) {
            currentStop = s.as(arch);
        }
        stops.clear(); // the handshake's stop is currentStop(), not a stop to wait for
    }

    // ---- receiving ----------------------------------------------------------------------------------------

    private void onLinkEvent(KdLinkEvent event) {
        switch (event) {
            case KdLinkEvent.PacketReceived p when p.packet().packetType() == KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value() -> {
                // A reply goes straight to the waiting request (decoding is cheap): one thread hop less per request.
                if (codec.decode(p.packet()) instanceof KdMessageDecodeResult.Decoded d && d.message() instanceof DbgkdManipulateState64 m) {
                    replies.add(m);
                }
            }
            case KdLinkEvent.PacketReceived p -> inputs.add(new Packet(p.packet()));
            case KdLinkEvent.ResetCompleted r -> inputs.add(new ResetDone());
            default -> {
                // ACKs complete send futures; the rest needs nothing here
            }
        }
    }

    private void receiveLoop() {
        try {
            while (true) {
                Input in = inputs.take();
                switch (in) {
                    case Closed c -> {
                        closed = true;
                        resetDone.completeExceptionally(new KdHostException("connection closed"));
                        options.listener().onDisconnect();
                        return;
                    }
                    case ResetDone r -> resetDone.complete(null);
                    case Packet p -> dispatch(p.packet());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(KdDataPacket packet) {
        int type = packet.packetType();
        if (type == KdPacketType.PACKET_TYPE_KD_STATE_CHANGE64.value()) {
            DbgkdWaitStateChange64.decode(packet.payload(), architecture).ifPresent(c -> {
                KdStateChange stop = new KdStateChange(c, packet.payload(), architecture);
                currentStop = stop;
                stopped = true;
                // The listener first, then the waiters: a command thread woken by this stop may start the next
                // step at once, and the listener must judge this stop before that (KdHostListener's ordering).
                options.listener().onStateChange(stop);
                stops.add(stop);
            });
        } else if (type == KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value()) {
            if (codec.decode(packet) instanceof KdMessageDecodeResult.Decoded d && d.message() instanceof DbgkdManipulateState64 m) {
                replies.add(m);
            }
        } else if (type == KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value()) {
            if (codec.decode(packet) instanceof KdMessageDecodeResult.Decoded d && d.message() instanceof DbgkdDebugIo io) {
                switch (io.api()) {
                    case PrintString p -> options.listener().onPrint(io.text());
                    case GetString g -> {
                        String answer = options.listener().onPrompt(io.text(), g.lengthOfStringRead());
                        String cut = answer.length() > g.lengthOfStringRead() ? answer.substring(0, Math.max(0, g.lengthOfStringRead())) : answer;
                        endpoint.send(KdPacketType.PACKET_TYPE_KD_DEBUG_IO.value(),
                                codec.encode(DbgkdDebugIo.getStringAnswer(cut)));
                    }
                    default -> {
                        // unknown DEBUG_IO: ignored
                    }
                }
            }
        } else if (type == KdPacketType.PACKET_TYPE_KD_FILE_IO.value()) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, CREATE_FILE_API);
            b.putInt(4, STATUS_NO_SUCH_FILE);
            endpoint.send(KdPacketType.PACKET_TYPE_KD_FILE_IO.value(), ByteString.of(b.array()));
        }
    }

    // ---- state ------------------------------------------------------------------------------------------

    /** @return the target's GetVersion answer (from the handshake) */
    public GetVersion version() {
        return version;
    }

    /** @return the target's architecture (from GetVersion's MachineType) */
    public KdArchitecture architecture() {
        return architecture;
    }

    /** @return true while the target is stopped (a state change arrived and no continue was sent since) */
    public boolean isStopped() {
        return stopped;
    }

    /** @return true until the connection closes */
    public boolean isConnected() {
        return !closed && endpoint.isOpen();
    }

    /** @return the last stop the target reported (null before the first) */
    public KdStateChange currentStop() {
        return currentStop;
    }

    /**
     * Waits for the next stop the target reports (one that arrived since the last call counts).
     *
     * @return the stop, or null on timeout or when the connection closed
     */
    public KdStateChange waitForStateChange(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                KdStateChange s = stops.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (s != null) {
                    return s.as(architecture);
                }
                if (closed) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Forgets stops that arrived and were not waited for. */
    public void clearPendingStops() {
        stops.clear();
    }

    // ---- requests ----------------------------------------------------------------------------------------

    /** Sends the break-in byte (the target stops at its next clock tick and reports a state change). */
    public void breakIn() {
        endpoint.sendBreakIn();
    }

    /**
     * Sends one manipulate request and waits for its reply (the same ApiNumber).
     *
     * @throws KdHostException if the target is running, gone, or silent past the request timeout
     */
    public DbgkdManipulateState64 request(ManipulateApi api, ByteString extraData) {
        synchronized (requestLock) {
            requireStopped();
            replies.clear();
            CompletableFuture<KdLinkEvent> sent = endpoint.send(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(),
                    codec.encode(DbgkdManipulateState64.request(api, extraData)));
            long deadline = System.nanoTime() + options.requestTimeout().toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new KdHostException(String.format("no reply to %s within %d s", apiName(api),
                            options.requestTimeout().toSeconds()));
                }
                // The caller reads the reply itself (and the ACK goes back from here): no reader-thread hand-off.
                DbgkdManipulateState64 reply = endpoint.pull(replies::poll,
                        Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))));
                if (reply != null && reply.apiNumber() == api.apiNumber()) {
                    return reply;
                }
                if (closed || sent.isCompletedExceptionally()) {
                    throw new KdHostException("the connection closed");
                }
                if (sent.isDone() && sent.join() instanceof KdLinkEvent.SendFailed) {
                    throw new KdHostException("the target did not acknowledge " + apiName(api));
                }
            }
        }
    }

    /** Sends a request that has no reply (Continue, Continue2, Reboot) and waits for its ACK. */
    private void requestNoReply(ManipulateApi api) {
        synchronized (requestLock) {
            requireStopped();
            stopped = false; // before the target can act on it: its next stop must find us "running"
            CompletableFuture<KdLinkEvent> sent = endpoint.send(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(),
                    codec.encode(DbgkdManipulateState64.request(api)));
            if (endpoint.pull(() -> sent.isDone() ? sent : null, options.requestTimeout()) == null) {
                throw new KdHostException("the target did not acknowledge " + apiName(api));
            }
            if (sent.isCompletedExceptionally()) {
                throw new KdHostException("the connection closed");
            }
            if (sent.join() instanceof KdLinkEvent.SendFailed) {
                throw new KdHostException("the target did not acknowledge " + apiName(api));
            }
        }
    }

    private void requireStopped() {
        if (closed) {
            throw new KdHostException("the connection is closed");
        }
        if (!stopped) {
            throw new KdHostException("the target is running");
        }
    }

    private static String apiName(ManipulateApi api) {
        return ManipulateApiNumber.fromValue(api.apiNumber()).map(ManipulateApiNumber::ntName)
                .orElse(String.format("API 0x%x", api.apiNumber()));
    }

    /** DbgKdGetVersionApi. */
    public GetVersion getVersion() {
        DbgkdManipulateState64 r = request(GetVersion.request(), ByteString.EMPTY);
        if (!r.returnStatus().isSuccess() || !(r.api() instanceof GetVersion v)) {
            throw new KdHostException("GetVersion failed: " + r.returnStatus());
        }
        return v;
    }

    /**
     * Reads virtual memory in chunks of at most {@link Options#readChunk()} bytes.
     *
     * @return the bytes read: fewer than {@code length} if the target could not read further
     */
    public byte[] readVirtual(long address, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, options.readChunk());
            DbgkdManipulateState64 r = request(ReadVirtualMemory.request(address + done, n), ByteString.EMPTY);
            int got = r.api() instanceof ReadVirtualMemory rv ? Math.min(Math.max(rv.actualBytesRead(), 0), r.extraData().length()) : 0;
            out.write(r.extraData().toByteArray(), 0, got);
            done += got;
            if (got == 0 || (got < n && !r.returnStatus().isSuccess())) {
                break; // inaccessible (a short successful reply is a target that caps its replies: read on)
            }
        }
        return out.toByteArray();
    }

    /** @return the u64 at {@code address} */
    public long readU64(long address) {
        byte[] b = readVirtual(address, 8);
        if (b.length < 8) {
            throw new KdHostException(String.format("cannot read memory at %s", KdFormat.address(address, architecture)));
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Writes virtual memory in chunks.
     *
     * @return the bytes written
     */
    public int writeVirtual(long address, byte[] data) {
        int done = 0;
        while (done < data.length) {
            int n = Math.min(data.length - done, MAX_TRANSFER);
            DbgkdManipulateState64 r = request(WriteVirtualMemory.request(address + done, n),
                    ByteString.of(data, done, n));
            int wrote = r.api() instanceof WriteVirtualMemory w ? Math.max(w.actualBytesWritten(), 0) : 0;
            done += Math.min(wrote, n);
            if (wrote < n) {
                break;
            }
        }
        return done;
    }

    /** @return the current processor's CONTEXT as the target sent it (1232 bytes on AMD64, 716 on x86) */
    public ByteString getContextImage() {
        DbgkdManipulateState64 r = request(new GetContext(0), ByteString.EMPTY);
        if (!r.returnStatus().isSuccess()) {
            throw new KdHostException("GetContext failed: " + r.returnStatus());
        }
        return r.extraData();
    }

    /** @return the current processor's AMD64 context */
    public Amd64Context getContext() {
        return Amd64ContextLayout.decode(getContextImage())
                .orElseThrow(() -> new KdHostException("the target's CONTEXT is not an AMD64 one"));
    }

    /** Replaces the current processor's context with {@code image} (a GetContext in this stop must come first). */
    public NtStatus setContextImage(ByteString image) {
        int flags = image.length() >= Amd64ContextLayout.SIZE && architecture == KdArchitecture.AMD64
                ? image.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN).getInt(Amd64ContextLayout.CONTEXT_FLAGS)
                : image.length() >= 4 ? image.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0) : 0;
        return request(new SetContext(flags), image).returnStatus();
    }

    /** Replaces the AMD64 context's modelled registers, keeping the rest of the target's image. */
    public NtStatus setContext(Amd64Context context) {
        ByteString image = getContextImage();
        return setContextImage(Amd64ContextLayout.overlay(image, context));
    }

    /** @return the breakpoint handle (1..32), or 0 if the target refused */
    public int writeBreakpoint(long address) {
        DbgkdManipulateState64 r = request(new WriteBreakPoint(address, 0), ByteString.EMPTY);
        return r.returnStatus().isSuccess() && r.api() instanceof WriteBreakPoint w ? w.breakPointHandle() : 0;
    }

    /** @return true if the target removed the breakpoint */
    public boolean restoreBreakpoint(int handle) {
        return request(new RestoreBreakPoint(handle), ByteString.EMPTY).returnStatus().isSuccess();
    }

    /** @return {@code count} bytes of control space item {@code selector} (AMD64: 0 KPCR, 1 KPRCB, 2 special regs, 3 KTHREAD) */
    public byte[] readControlSpace(long selector, int count) {
        DbgkdManipulateState64 r = request(ReadControlSpace.request(selector, count), ByteString.EMPTY);
        return r.returnStatus().isSuccess() ? r.extraData().toByteArray() : new byte[0];
    }

    /** @return the MSR's value, or empty if the target has no such register */
    public java.util.OptionalLong readMsr(int msr) {
        DbgkdManipulateState64 r = request(new ReadMachineSpecificRegister(msr, 0, 0), ByteString.EMPTY);
        return r.returnStatus().isSuccess() && r.api() instanceof ReadMachineSpecificRegister m
                ? java.util.OptionalLong.of(m.value()) : java.util.OptionalLong.empty();
    }

    /**
     * Resumes the target with Continue2 (the control set in the target's layout): TraceFlag set for a single step.
     * No reply: returns once the target acknowledged it; the next stop arrives as a state change.
     */
    public void continueExecution(NtStatus status, boolean trace) {
        requestNoReply(new Continue2(status, trace ? 1 : 0, 0, 1, 0));
    }

    /** {@code g}: continue with DBG_CONTINUE. */
    public void go() {
        continueExecution(NtStatus.DBG_CONTINUE, false);
    }

    /** {@code t}: one instruction with the trace flag. */
    public void step() {
        continueExecution(NtStatus.DBG_CONTINUE, true);
    }

    /** DbgKdRebootApi: no reply; the target comes back with the boot id and a new stop. */
    public void reboot() {
        requestNoReply(new Reboot());
    }

    /** DbgKdCauseBugCheckApi: no reply; the target reports the bugcheck with a new stop. */
    public void causeBugCheck() {
        requestNoReply(new dev.debugport.kd.message.CauseBugCheck());
    }

    /** Closes the connection (the target resumes if it was stopped). Idempotent. */
    @Override
    public void close() {
        closed = true;
        endpoint.close();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
