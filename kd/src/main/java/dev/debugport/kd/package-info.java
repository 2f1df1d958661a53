/**
 * KD, the Windows NT kernel-debugger protocol ({@code spec/kd.md}), in layers that depend on each other
 * only downwards:
 *
 * <ul>
 *   <li>{@link dev.debugport.kd.codec} - framing without I/O: the 16-byte {@code KD_PACKET} header, data
 *       and control packets, the break-in byte, the checksum, packet ids, and an incremental
 *       {@link dev.debugport.kd.codec.KdFrameDecoder} that reports bad input as values;</li>
 *   <li>{@link dev.debugport.kd.link} - reliability without I/O: the ACK / RESEND / RESET handshake and
 *       retransmission as a pure state machine ({@link dev.debugport.kd.link.KdLinkState}) fed with
 *       decoded frames and clock ticks, plus {@link dev.debugport.kd.link.KdLinkEndpoint}, which runs one
 *       over a connection;</li>
 *   <li>{@link dev.debugport.kd.message} - marshalling of the packet payloads:
 *       {@code DBGKD_MANIPULATE_STATE64}, {@code DBGKD_WAIT_STATE_CHANGE64}, {@code DBGKD_DEBUG_IO};</li>
 *   <li>{@link dev.debugport.kd.transport} - the byte-stream SPI
 *       ({@link dev.debugport.kd.transport.KdConnection}) with TCP, UNIX-domain socket and in-memory
 *       implementations;</li>
 *   <li>{@link dev.debugport.kd.layout} - the Windows 7 SP1 x64 structure offsets both ends agree on
 *       (KDDEBUGGER_DATA64, EPROCESS, ETHREAD, LDR_DATA_TABLE_ENTRY);</li>
 *   <li>{@link dev.debugport.kd.target} - the kernel debugger inside the NT machine model (depends on
 *       {@code debugport-kernel});</li>
 *   <li>{@link dev.debugport.kd.host} - the host client library and the kd command language.</li>
 * </ul>
 */
package dev.debugport.kd;
