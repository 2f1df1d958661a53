package dev.debugport.kd.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdDataPacket;
import dev.debugport.kd.codec.KdPacketType;
import dev.debugport.kd.link.KdLinkEndpoint;
import dev.debugport.kd.link.KdLinkEvent;
import dev.debugport.kd.link.KdLinkRole;
import dev.debugport.kd.link.KdLinkState;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.KdMessageCodec;
import dev.debugport.kd.message.KdMessageDecodeResult;
import dev.debugport.nt.NtStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TCP and UNIX-domain loopback, and the in-memory pipe, through the {@link KdConnection} contract. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private ExecutorService executor;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    private static byte[] readExactly(KdConnection c, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = c.read(buf, got, n - got);
            if (r < 0) {
                throw new IOException("EOF after " + got);
            }
            got += r;
        }
        return buf;
    }

    /** Bytes both ways, then close from one side: the other reads -1. */
    private void exchangeBytes(KdConnection a, KdConnection b) throws Exception {
        byte[] hello = "0000 hello from a".getBytes();
        a.write(hello);
        assertArrayEquals(hello, readExactly(b, hello.length));
        byte[] big = new byte[256 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        Future<byte[]> reader = executor.submit(() -> readExactly(a, big.length));
        b.write(big);
        assertArrayEquals(big, reader.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        b.close();
        assertEquals(-1, a.read(new byte[1], 0, 1));
        assertFalse(b.isOpen());
    }

    /** A full KD exchange over the connection: a host asks GetVersion, a target answers. */
    private static void getVersionOver(KdConnection hostSide, KdConnection targetSide) throws Exception {
        KdMessageCodec codec = new KdMessageCodec(KdArchitecture.AMD64);
        try (KdLinkEndpoint host = KdLinkEndpoint.start(hostSide, KdLinkState.create(KdLinkRole.HOST), "host");
             KdLinkEndpoint target = KdLinkEndpoint.start(targetSide, KdLinkState.create(KdLinkRole.TARGET), "target")) {
            host.startReset();
            CompletableFuture<KdLinkEvent> sent = host.send(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(),
                    codec.encode(DbgkdManipulateState64.request(GetVersion.request())));
            KdDataPacket request = target.receive(WAIT);
            assertNotNull(request);
            assertEquals(0x80800000, request.packetId());
            DbgkdManipulateState64 m = (DbgkdManipulateState64) ((KdMessageDecodeResult.Decoded) codec.decode(request))
                    .message();
            GetVersion version = new GetVersion(0xF, 7601, 6, 2, 6, 0x8664, 12, 3, 0x31, 0, 1, 2, 3);
            target.send(KdPacketType.PACKET_TYPE_KD_STATE_MANIPULATE.value(),
                    codec.encode(m.reply(NtStatus.STATUS_SUCCESS, version, ByteString.EMPTY)));
            KdDataPacket reply = host.receive(WAIT);
            assertNotNull(reply);
            DbgkdManipulateState64 answer = (DbgkdManipulateState64) ((KdMessageDecodeResult.Decoded) codec.decode(reply))
                    .message();
            assertEquals(version, answer.api());
            assertInstanceOf(KdLinkEvent.Acknowledged.class, sent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(host.isPeerPresent() && target.isPeerPresent());
        }
    }

    @Test
    void tcpLoopbackListenAndConnect() throws Exception {
        try (KdAcceptor acceptor = TcpTransport.listen(0)) {
            InetSocketAddress bound = (InetSocketAddress) acceptor.localAddress();
            assertTrue(bound.getAddress().isLoopbackAddress(), "binds loopback by default: " + bound);
            Future<KdConnection> accepted = executor.submit(acceptor::accept);
            KdConnection client = TcpTransport.connect(bound.getPort());
            KdConnection server = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            exchangeBytes(client, server);
            client.close();

            Future<KdConnection> again = executor.submit(acceptor::accept);
            KdConnection target = TcpTransport.connect(bound);
            getVersionOver(again.get(WAIT.toSeconds(), TimeUnit.SECONDS), target);
        }
    }

    @Test
    void unixSocketListenAndConnect() throws Exception {
        Path socket = dir.resolve("kd.sock");
        try (KdAcceptor acceptor = UnixSocketTransport.listen(socket)) {
            assertEquals(UnixDomainSocketAddress.of(socket), acceptor.localAddress());
            Future<KdConnection> accepted = executor.submit(acceptor::accept);
            KdConnection client = UnixSocketTransport.connect(socket);
            exchangeBytes(accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS), client);

            Future<KdConnection> again = executor.submit(acceptor::accept);
            KdConnection host = UnixSocketTransport.connect(socket);
            getVersionOver(host, again.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(socket), "closing the acceptor removes the socket file");
    }

    @Test
    void inMemoryPair() throws Exception {
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        exchangeBytes(pair.first(), pair.second());
        assertThrows(IOException.class, () -> pair.first().write(new byte[1]));
        InMemoryConnection.Pair kd = InMemoryConnection.pair();
        getVersionOver(kd.first(), kd.second());
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        try (KdAcceptor acceptor = TcpTransport.listen(0)) {
            Future<KdConnection> accepted = executor.submit(acceptor::accept);
            KdConnection client = TcpTransport.connect(((InetSocketAddress) acceptor.localAddress()).getPort());
            KdConnection server = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            CompletableFuture<Integer> started = new CompletableFuture<>();
            Future<Integer> blocked = executor.submit(() -> {
                started.complete(0);
                return client.read(new byte[16], 0, 16);
            });
            started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            client.close();
            assertEquals(-1, blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThrows(IOException.class, () -> client.write(new byte[1]));
            server.close();
        }
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        Future<Integer> blocked = executor.submit(() -> pair.first().read(new byte[4], 0, 4));
        pair.first().close();
        assertEquals(-1, blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aBlockedReadIsCutShortByInterruptReadOrItsTimeoutAndFramesGoOutInOrder() throws Exception {
        try (KdAcceptor acceptor = UnixSocketTransport.listen(dir.resolve("cut.sock"))) {
            Future<KdConnection> accepted = executor.submit(acceptor::accept);
            KdConnection client = UnixSocketTransport.connect(dir.resolve("cut.sock"));
            KdConnection server = accepted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            cutShortAndGathered(client, server);
            client.close();
            server.close();
        }
        InMemoryConnection.Pair pair = InMemoryConnection.pair();
        cutShortAndGathered(pair.first(), pair.second());
    }

    /** interruptRead before and during a read, a timed read that times out, then a gathering write read back. */
    private void cutShortAndGathered(KdConnection reader, KdConnection writer) throws Exception {
        reader.interruptRead(); // no read blocked: the next one returns at once
        assertEquals(0, reader.read(new byte[16], 0, 16));
        assertEquals(0, reader.read(new byte[16], 0, 16, 20), "nothing within 20 ms");
        CompletableFuture<Integer> started = new CompletableFuture<>();
        Future<Integer> blocked = executor.submit(() -> {
            started.complete(0);
            return reader.read(new byte[16], 0, 16);
        });
        started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        while (!blocked.isDone()) {
            reader.interruptRead(); // again until the read took it: it may not have been blocked yet the first time
            Thread.onSpinWait();
        }
        assertEquals(0, blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        reader.read(new byte[16], 0, 16, 1); // takes an interrupt left over from the loop, if any
        writer.write(java.util.List.of(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6}));
        byte[] got = new byte[6];
        int n = 0;
        while (n < 6) {
            int r = reader.read(got, n, 6 - n, WAIT.toMillis());
            assertTrue(r >= 0, "open");
            n += r;
        }
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, got);
    }

    @Test
    void closingTheAcceptorWakesAccept() throws Exception {
        KdAcceptor acceptor = TcpTransport.listen(0);
        Future<KdConnection> accepting = executor.submit(acceptor::accept);
        acceptor.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> accepting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        acceptor.close();
    }
}
