/**
 * KD transports: the byte-stream SPI {@link dev.debugport.kd.transport.KdConnection} (the shape of
 * JDI's {@code com.sun.jdi.connect.spi.Connection}, but for bytes, since KD framing lives in
 * {@link dev.debugport.kd.codec}) and its implementations: TCP ({@link dev.debugport.kd.transport.TcpTransport}),
 * UNIX-domain stream sockets ({@link dev.debugport.kd.transport.UnixSocketTransport}) and an in-memory
 * pipe for tests ({@link dev.debugport.kd.transport.InMemoryConnection}). Listening sockets bind the
 * loopback interface unless told otherwise.
 */
package dev.debugport.kd.transport;
