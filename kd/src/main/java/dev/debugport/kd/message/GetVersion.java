package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * {@code DbgKdGetVersionApi} (ApiNumber {@code 0x3146}), union {@code DBGKD_GET_VERSION64}.
 *
 * <p>The first request of every real debugger. The host sends the union zeroed; the target fills it.
 * Values ReactOS / a Windows 7 SP1 x64 kernel report: MajorVersion 0x000F (NT, free build),
 * MinorVersion = build number, ProtocolVersion 6, KdSecondaryVersion 2 on AMD64, Flags
 * DBGKD_VERS_FLAG_DATA|PTR64 (0x6, +MP 0x1 on SMP), MachineType 0x8664, MaxPacketType 12,
 * MaxStateChange 3, MaxManipulate 0x31.
 * <p>The target answers with the same header echoed, ReturnStatus set and the output fields filled.
 *
 * <pre>
 *  DBGKD_MANIPULATE_STATE64, ApiNumber 0x3146 (DbgKdGetVersionApi)
 *  offset size  field
 *      0 u32   ApiNumber
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   ReturnStatus
 *     12 u32   (padding)
 *     16 u16   MajorVersion: high byte kind (0 NT), low byte 0xF free / 0xC checked
 *     18 u16   MinorVersion: the NT build number
 *     20 u8    ProtocolVersion: 6
 *     21 u8    KdSecondaryVersion: 2 on AMD64, else 0
 *     22 u16   Flags: MP 0x1, DATA 0x2, PTR64 0x4, NOMM 0x8, HSS 0x10, PARTITIONS 0x20
 *     24 u16   MachineType: 0x014C i386, 0x8664 AMD64, 0x01C4 ARM, 0xAA64 ARM64
 *     26 u8    MaxPacketType: 12
 *     27 u8    MaxStateChange: 3
 *     28 u8    MaxManipulate: 0x31
 *     29 u8    Simulation: 0 none, 1 EXDI
 *     30 2     (unused)
 *     32 u64   KernBase: the kernel image base
 *     40 u64   PsLoadedModuleList: the loaded-module list head
 *     48 u64   DebuggerDataList: the debugger-data list head, whose Flink is the KDDEBUGGER_DATA64
 *     56 ...   extra data (none)
 * </pre>
 *
 * @param majorVersion MajorVersion: high byte kind (0 NT), low byte 0xF free / 0xC checked
 * @param minorVersion MinorVersion: the NT build number
 * @param protocolVersion ProtocolVersion: 6
 * @param kdSecondaryVersion KdSecondaryVersion: 2 on AMD64, else 0
 * @param flags Flags: MP 0x1, DATA 0x2, PTR64 0x4, NOMM 0x8, HSS 0x10, PARTITIONS 0x20
 * @param machineType MachineType: 0x014C i386, 0x8664 AMD64, 0x01C4 ARM, 0xAA64 ARM64
 * @param maxPacketType MaxPacketType: 12
 * @param maxStateChange MaxStateChange: 3
 * @param maxManipulate MaxManipulate: 0x31
 * @param simulation Simulation: 0 none, 1 EXDI
 * @param kernBase KernBase: the kernel image base
 * @param psLoadedModuleList PsLoadedModuleList: the loaded-module list head
 * @param debuggerDataList DebuggerDataList: the debugger-data list head, whose Flink is the KDDEBUGGER_DATA64
 */
public record GetVersion(int majorVersion, int minorVersion, int protocolVersion, int kdSecondaryVersion, int flags, int machineType, int maxPacketType, int maxStateChange, int maxManipulate, int simulation, long kernBase, long psLoadedModuleList, long debuggerDataList) implements ManipulateApi {

    /** Checks that the narrow fields fit their wire width. */
    public GetVersion {
        Fields.u16(majorVersion, "majorVersion");
        Fields.u16(minorVersion, "minorVersion");
        Fields.u8(protocolVersion, "protocolVersion");
        Fields.u8(kdSecondaryVersion, "kdSecondaryVersion");
        Fields.u16(flags, "flags");
        Fields.u16(machineType, "machineType");
        Fields.u8(maxPacketType, "maxPacketType");
        Fields.u8(maxStateChange, "maxStateChange");
        Fields.u8(maxManipulate, "maxManipulate");
        Fields.u8(simulation, "simulation");
    }

    /** @return the request a host sends: every field zero */
    public static GetVersion request() {
        return new GetVersion(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public int apiNumber() {
        return ManipulateApiNumber.GET_VERSION.value();
    }

    @Override
    public void writeUnion(ByteBuffer b, KdArchitecture architecture) {
        b.putShort(16, (short) majorVersion);
        b.putShort(18, (short) minorVersion);
        b.put(20, (byte) protocolVersion);
        b.put(21, (byte) kdSecondaryVersion);
        b.putShort(22, (short) flags);
        b.putShort(24, (short) machineType);
        b.put(26, (byte) maxPacketType);
        b.put(27, (byte) maxStateChange);
        b.put(28, (byte) maxManipulate);
        b.put(29, (byte) simulation);
        b.putLong(32, kernBase);
        b.putLong(40, psLoadedModuleList);
        b.putLong(48, debuggerDataList);
    }

    static GetVersion readUnion(ByteBuffer b, KdArchitecture architecture) {
        return new GetVersion(Short.toUnsignedInt(b.getShort(16)),
                Short.toUnsignedInt(b.getShort(18)),
                Byte.toUnsignedInt(b.get(20)),
                Byte.toUnsignedInt(b.get(21)),
                Short.toUnsignedInt(b.getShort(22)),
                Short.toUnsignedInt(b.getShort(24)),
                Byte.toUnsignedInt(b.get(26)),
                Byte.toUnsignedInt(b.get(27)),
                Byte.toUnsignedInt(b.get(28)),
                Byte.toUnsignedInt(b.get(29)),
                b.getLong(32),
                b.getLong(40),
                b.getLong(48));
    }
}
