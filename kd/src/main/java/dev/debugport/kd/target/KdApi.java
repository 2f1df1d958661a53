package dev.debugport.kd.target;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.codec.KdConstants;
import dev.debugport.kd.layout.Win7Amd64;
import dev.debugport.kd.message.Amd64ContextLayout;
import dev.debugport.kd.message.CheckLowMemory;
import dev.debugport.kd.message.DbgkdManipulateState64;
import dev.debugport.kd.message.GetBusData;
import dev.debugport.kd.message.GetContext;
import dev.debugport.kd.message.GetContextEx;
import dev.debugport.kd.message.GetVersion;
import dev.debugport.kd.message.QueryMemory;
import dev.debugport.kd.message.ReadControlSpace;
import dev.debugport.kd.message.ReadIoSpace;
import dev.debugport.kd.message.ReadIoSpaceExtended;
import dev.debugport.kd.message.ReadMachineSpecificRegister;
import dev.debugport.kd.message.ReadPhysicalMemory;
import dev.debugport.kd.message.ReadVirtualMemory;
import dev.debugport.kd.message.RestoreBreakPoint;
import dev.debugport.kd.message.SetBusData;
import dev.debugport.kd.message.SetContext;
import dev.debugport.kd.message.SetContextEx;
import dev.debugport.kd.message.WriteBreakPoint;
import dev.debugport.kd.message.WriteControlSpace;
import dev.debugport.kd.message.WriteIoSpace;
import dev.debugport.kd.message.WriteIoSpaceExtended;
import dev.debugport.kd.message.WriteMachineSpecificRegister;
import dev.debugport.kd.message.WritePhysicalMemory;
import dev.debugport.kd.message.WriteVirtualMemory;
import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.NtStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The manipulate APIs that are answered with a reply packet ({@code spec/kd.md} §6.1, §6.2): KdpReadVirtualMemory,
 * KdpGetContext, KdpWriteBreakpoint, ... Each takes the request and returns the reply: the same header echoed, the
 * ReturnStatus and output fields filled, plus extra data where the API has some. What has no meaning on this
 * machine (physical memory, buses) answers STATUS_UNSUCCESSFUL; an API this kernel does not implement, too ("always
 * reply, or the host hangs"). Continue, Continue2, Reboot, CauseBugCheck, SwitchProcessor and
 * ClearAllInternalBreakpoints get no reply and end the manipulate loop ({@link KdSendWaitContinue}).
 *
 * <p>Confined to the engine thread; the machine is frozen while these run.
 */
final class KdApi {
    /** The most a read reply carries: PACKET_MAX_SIZE minus the manipulate header (3944). */
    static final int MAX_TRANSFER = KdConstants.PACKET_MAX_SIZE - DbgkdManipulateState64.HEADER_SIZE;

    static final NtStatus STATUS_NO_SUCH_DEVICE = NtStatus.of(0xC000000E);

    private final KdMemory memory;
    private final KdBreakpointTable breakpoints;
    private final KdKernelImage image;
    private final int readLimit;
    private final Map<Integer, Long> writtenMsrs = new HashMap<>();

    KdApi(KdMemory memory, KdBreakpointTable breakpoints, KdKernelImage image, int readLimit) {
        this.readLimit = readLimit;
        this.memory = memory;
        this.breakpoints = breakpoints;
        this.image = image;
    }

    /** @return the reply to {@code m} in {@code stop} */
    DbgkdManipulateState64 handle(DbgkdManipulateState64 m, KdStop stop) {
        return switch (m.api()) {
            case ReadVirtualMemory r -> readVirtual(m, r, stop);
            case WriteVirtualMemory w -> writeVirtual(m, w, stop);
            case GetContext g -> getContext(m, g, stop);
            case SetContext s -> setContext(m, s, stop);
            case GetContextEx g -> getContextEx(m, g, stop);
            case SetContextEx s -> setContextEx(m, s, stop);
            case WriteBreakPoint b -> {
                int handle = breakpoints.add(b.breakPointAddress(), stop.process);
                yield m.reply(handle != 0 ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL,
                        new WriteBreakPoint(b.breakPointAddress(), handle), ByteString.EMPTY);
            }
            case RestoreBreakPoint b -> m.reply(breakpoints.delete(b.breakPointHandle()) ? NtStatus.STATUS_SUCCESS
                    : NtStatus.STATUS_UNSUCCESSFUL, b, ByteString.EMPTY);
            case GetVersion v -> m.reply(NtStatus.STATUS_SUCCESS, image.versionBlock(), ByteString.EMPTY);
            case ReadControlSpace r -> readControlSpace(m, r, stop);
            case WriteControlSpace w -> writeControlSpace(m, w, stop);
            case ReadPhysicalMemory r -> m.reply(NtStatus.STATUS_UNSUCCESSFUL,
                    new ReadPhysicalMemory(r.targetBaseAddress(), r.transferCount(), 0), ByteString.EMPTY);
            case WritePhysicalMemory w -> m.reply(NtStatus.STATUS_UNSUCCESSFUL,
                    new WritePhysicalMemory(w.targetBaseAddress(), w.transferCount(), 0), ByteString.EMPTY);
            case ReadIoSpace r -> readIo(m, r);
            case WriteIoSpace w -> writeIo(m, w);
            case ReadIoSpaceExtended r -> readIoExtended(m, r);
            case WriteIoSpaceExtended w -> writeIoExtended(m, w);
            case ReadMachineSpecificRegister r -> readMsr(m, r, stop);
            case WriteMachineSpecificRegister w -> writeMsr(m, w);
            case QueryMemory q -> queryMemory(m, q);
            case CheckLowMemory c -> m.reply(NtStatus.STATUS_SUCCESS, c, ByteString.EMPTY);
            case GetBusData g -> m.reply(NtStatus.STATUS_UNSUCCESSFUL, new GetBusData(g.busDataType(), g.busNumber(),
                    g.slotNumber(), g.offset(), 0), ByteString.EMPTY);
            case SetBusData s -> m.reply(NtStatus.STATUS_UNSUCCESSFUL, new SetBusData(s.busDataType(), s.busNumber(),
                    s.slotNumber(), s.offset(), 0), ByteString.EMPTY);
            default -> m.failed(NtStatus.STATUS_UNSUCCESSFUL);
        };
    }

    /** Implements KdpReadVirtualMemory: clamps to 3944 bytes (or the configured limit), stops at the first inaccessible byte. */
    private DbgkdManipulateState64 readVirtual(DbgkdManipulateState64 m, ReadVirtualMemory r, KdStop stop) {
        int count = (int) Math.min(Integer.toUnsignedLong(r.transferCount()), readLimit);
        byte[] data = new byte[count];
        int done = memory.read(stop.process, r.targetBaseAddress(), data, 0, count);
        return m.reply(done == count ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL,
                new ReadVirtualMemory(r.targetBaseAddress(), r.transferCount(), done),
                done == count ? ByteString.wrap(data) : ByteString.of(data, 0, done));
    }

    /** Implements KdpWriteVirtualMemory. */
    private DbgkdManipulateState64 writeVirtual(DbgkdManipulateState64 m, WriteVirtualMemory w, KdStop stop) {
        byte[] data = m.extraData().toByteArray();
        int count = (int) Math.min(Integer.toUnsignedLong(w.transferCount()), data.length);
        int done = memory.write(stop.process, w.targetBaseAddress(), data, 0, count);
        return m.reply(done == count ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL,
                new WriteVirtualMemory(w.targetBaseAddress(), w.transferCount(), done), ByteString.EMPTY);
    }

    private static ByteString contextImage(KdStop stop) {
        Amd64Context c = stop.context;
        if (c.contextFlags() == 0) {
            c = c.withContextFlags(Amd64Context.CONTEXT_ALL);
        }
        return Amd64ContextLayout.encode(c);
    }

    /** Implements KdpGetContext: the current processor's context; any other processor is invalid. */
    private DbgkdManipulateState64 getContext(DbgkdManipulateState64 m, GetContext g, KdStop stop) {
        if (m.processor() != 0) {
            return m.failed(NtStatus.STATUS_UNSUCCESSFUL);
        }
        stop.contextSent = true;
        return m.reply(NtStatus.STATUS_SUCCESS, g, contextImage(stop));
    }

    /** Implements KdpSetContext: only after a GetContext in the same stop. */
    private DbgkdManipulateState64 setContext(DbgkdManipulateState64 m, SetContext s, KdStop stop) {
        if (m.processor() != 0 || !stop.contextSent) {
            return m.failed(NtStatus.STATUS_UNSUCCESSFUL);
        }
        var decoded = Amd64ContextLayout.decode(m.extraData());
        if (decoded.isEmpty()) {
            return m.failed(NtStatus.STATUS_UNSUCCESSFUL);
        }
        stop.context = decoded.get();
        stop.contextChanged = true;
        return m.reply(NtStatus.STATUS_SUCCESS, s, ByteString.EMPTY);
    }

    private DbgkdManipulateState64 getContextEx(DbgkdManipulateState64 m, GetContextEx g, KdStop stop) {
        long end = Integer.toUnsignedLong(g.offset()) + Integer.toUnsignedLong(g.byteCount());
        if (m.processor() != 0 || end > Amd64ContextLayout.SIZE || g.byteCount() > MAX_TRANSFER) {
            return m.reply(NtStatus.STATUS_UNSUCCESSFUL, new GetContextEx(g.offset(), g.byteCount(), 0), ByteString.EMPTY);
        }
        stop.contextSent = true;
        ByteString window = contextImage(stop).substring(g.offset(), (int) end);
        return m.reply(NtStatus.STATUS_SUCCESS, new GetContextEx(g.offset(), g.byteCount(), g.byteCount()), window);
    }

    private DbgkdManipulateState64 setContextEx(DbgkdManipulateState64 m, SetContextEx s, KdStop stop) {
        long end = Integer.toUnsignedLong(s.offset()) + Integer.toUnsignedLong(s.byteCount());
        if (m.processor() != 0 || !stop.contextSent || end > Amd64ContextLayout.SIZE
                || m.extraData().length() < s.byteCount()) {
            return m.reply(NtStatus.STATUS_UNSUCCESSFUL, new SetContextEx(s.offset(), s.byteCount(), 0), ByteString.EMPTY);
        }
        byte[] image = contextImage(stop).toByteArray();
        m.extraData().substring(0, s.byteCount()).copyTo(image, s.offset());
        stop.context = Amd64ContextLayout.decode(ByteString.of(image)).orElseThrow();
        stop.contextChanged = true;
        return m.reply(NtStatus.STATUS_SUCCESS, new SetContextEx(s.offset(), s.byteCount(), s.byteCount()), ByteString.EMPTY);
    }

    /** AMD64 control space: selector 0 KPCR, 1 KPRCB, 2 KSPECIAL_REGISTERS, 3 the current KTHREAD. */
    private byte[] controlItem(long selector, KdStop stop) {
        return switch ((int) selector) {
            case 0 -> le64(KdKernelLayout.KPCR);
            case 1 -> le64(KdKernelLayout.KPRCB);
            case 2 -> specialRegisters(stop);
            case 3 -> le64(image.kthreadOf(stop.thread));
            default -> null;
        };
    }

    private byte[] specialRegisters(KdStop stop) {
        if (stop.specialRegisters == null) {
            stop.specialRegisters = image.specialRegisters(stop);
        }
        return stop.specialRegisters;
    }

    private DbgkdManipulateState64 readControlSpace(DbgkdManipulateState64 m, ReadControlSpace r, KdStop stop) {
        byte[] item = m.processor() != 0 || Long.compareUnsigned(r.targetBaseAddress(), 3) > 0 ? null
                : controlItem(r.targetBaseAddress(), stop);
        if (item == null) {
            return m.reply(NtStatus.STATUS_UNSUCCESSFUL, new ReadControlSpace(r.targetBaseAddress(), r.transferCount(), 0),
                    ByteString.EMPTY);
        }
        int n = (int) Math.min(Integer.toUnsignedLong(r.transferCount()), item.length);
        return m.reply(NtStatus.STATUS_SUCCESS, new ReadControlSpace(r.targetBaseAddress(), r.transferCount(), n),
                ByteString.of(item, 0, n));
    }

    /** Only the special registers (selector 2) are writable on AMD64. */
    private DbgkdManipulateState64 writeControlSpace(DbgkdManipulateState64 m, WriteControlSpace w, KdStop stop) {
        if (m.processor() != 0 || w.targetBaseAddress() != 2) {
            return m.reply(NtStatus.STATUS_UNSUCCESSFUL, new WriteControlSpace(w.targetBaseAddress(), w.transferCount(), 0),
                    ByteString.EMPTY);
        }
        byte[] regs = specialRegisters(stop);
        int n = (int) Math.min(Math.min(Integer.toUnsignedLong(w.transferCount()), m.extraData().length()), regs.length);
        m.extraData().substring(0, n).copyTo(regs, 0);
        stop.kernelDr7 = ByteBuffer.wrap(regs).order(ByteOrder.LITTLE_ENDIAN).getLong(0x48);
        return m.reply(NtStatus.STATUS_SUCCESS, new WriteControlSpace(w.targetBaseAddress(), w.transferCount(), n),
                ByteString.EMPTY);
    }

    private static NtStatus checkIo(long address, int size) {
        if (size != 1 && size != 2 && size != 4) {
            return NtStatus.STATUS_INVALID_PARAMETER;
        }
        if (address % size != 0) {
            return NtStatus.STATUS_DATATYPE_MISALIGNMENT;
        }
        return NtStatus.STATUS_SUCCESS;
    }

    private static int floatingBus(int size) {
        return size == 4 ? -1 : (1 << (size * 8)) - 1;
    }

    /** Port I/O: the machine has no devices, so every port reads as a floating bus (all ones) and ignores writes. */
    private DbgkdManipulateState64 readIo(DbgkdManipulateState64 m, ReadIoSpace r) {
        NtStatus s = checkIo(r.ioAddress(), r.dataSize());
        return m.reply(s, new ReadIoSpace(r.ioAddress(), s.isSuccess() ? r.dataSize() : 0,
                s.isSuccess() ? floatingBus(r.dataSize()) : 0), ByteString.EMPTY);
    }

    private DbgkdManipulateState64 writeIo(DbgkdManipulateState64 m, WriteIoSpace w) {
        NtStatus s = checkIo(w.ioAddress(), w.dataSize());
        return m.reply(s, new WriteIoSpace(w.ioAddress(), s.isSuccess() ? w.dataSize() : 0, w.dataValue()), ByteString.EMPTY);
    }

    private static NtStatus checkIoExtended(int interfaceType, int bus, int addressSpace, long address, int size) {
        if (interfaceType != 1 || bus != 0 || addressSpace != 1) {
            return NtStatus.STATUS_INVALID_PARAMETER; // Isa, bus 0, I/O space only
        }
        return checkIo(address, size);
    }

    private DbgkdManipulateState64 readIoExtended(DbgkdManipulateState64 m, ReadIoSpaceExtended r) {
        NtStatus s = checkIoExtended(r.interfaceType(), r.busNumber(), r.addressSpace(), r.ioAddress(), r.dataSize());
        return m.reply(s, new ReadIoSpaceExtended(s.isSuccess() ? r.dataSize() : 0, r.interfaceType(), r.busNumber(),
                r.addressSpace(), r.ioAddress(), s.isSuccess() ? floatingBus(r.dataSize()) : 0), ByteString.EMPTY);
    }

    private DbgkdManipulateState64 writeIoExtended(DbgkdManipulateState64 m, WriteIoSpaceExtended w) {
        NtStatus s = checkIoExtended(w.interfaceType(), w.busNumber(), w.addressSpace(), w.ioAddress(), w.dataSize());
        return m.reply(s, new WriteIoSpaceExtended(s.isSuccess() ? w.dataSize() : 0, w.interfaceType(), w.busNumber(),
                w.addressSpace(), w.ioAddress(), w.dataValue()), ByteString.EMPTY);
    }

    /** The MSRs this processor has; others are STATUS_NO_SUCH_DEVICE. */
    private Long msr(int index, KdStop stop) {
        Long written = writtenMsrs.get(index);
        if (written != null) {
            return written;
        }
        return switch (index) {
            case 0x1B -> 0xFEE0_0900L;                          // IA32_APIC_BASE
            case 0x174, 0x175, 0x176 -> 0L;                      // SYSENTER_CS/ESP/EIP
            case 0x1D9 -> 0L;                                    // DEBUGCTL
            case 0xC000_0080 -> 0xD01L;                          // EFER: SCE | LME | LMA | NXE
            case 0xC000_0081 -> 0x0023_0010_0000_0000L;          // STAR
            case 0xC000_0082 -> KdKernelLayout.KI_SYSTEM_CALL64; // LSTAR
            case 0xC000_0083 -> 0L;                              // CSTAR
            case 0xC000_0084 -> 0x4700L;                         // SFMASK
            case 0xC000_0100 -> 0L;                              // FS base
            case 0xC000_0101 -> KdKernelLayout.KPCR;             // GS base (kernel)
            case 0xC000_0102 -> stop.thread == null || stop.thread.teb() == null ? 0L : stop.thread.teb().address();
            default -> null;
        };
    }

    private DbgkdManipulateState64 readMsr(DbgkdManipulateState64 m, ReadMachineSpecificRegister r, KdStop stop) {
        Long value = msr(r.msr(), stop);
        if (value == null) {
            return m.reply(STATUS_NO_SUCH_DEVICE, new ReadMachineSpecificRegister(r.msr(), 0, 0), ByteString.EMPTY);
        }
        return m.reply(NtStatus.STATUS_SUCCESS, ReadMachineSpecificRegister.of(r.msr(), value), ByteString.EMPTY);
    }

    private DbgkdManipulateState64 writeMsr(DbgkdManipulateState64 m, WriteMachineSpecificRegister w) {
        if (msr(w.msr(), null) == null && !writtenMsrs.containsKey(w.msr())) {
            return m.reply(STATUS_NO_SUCH_DEVICE, w, ByteString.EMPTY);
        }
        writtenMsrs.put(w.msr(), Integer.toUnsignedLong(w.dataValueLow()) | (long) w.dataValueHigh() << 32);
        return m.reply(NtStatus.STATUS_SUCCESS, w, ByteString.EMPTY);
    }

    /** Implements KdpQueryMemory: which address space, and (as ReactOS) read/write/execute. */
    private DbgkdManipulateState64 queryMemory(DbgkdManipulateState64 m, QueryMemory q) {
        if (q.addressSpace() != 0) {
            return m.reply(NtStatus.STATUS_INVALID_PARAMETER, q, ByteString.EMPTY);
        }
        long a = q.address();
        int space;
        if (Win7Amd64.isUserAddress(a)) {
            space = 0;
        } else if (Long.compareUnsigned(a, 0xFFFF_F900_0000_0000L) >= 0 && Long.compareUnsigned(a, 0xFFFF_F980_0000_0000L) < 0) {
            space = 1;
        } else {
            space = 2;
        }
        return m.reply(NtStatus.STATUS_SUCCESS, new QueryMemory(a, 0, space, 1 | 2 | 4), ByteString.EMPTY);
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
