package dev.debugport.kd.message;

import java.nio.ByteBuffer;

/**
 * The API-specific part of a {@link DbgkdManipulateState64}: the 40-byte union at offset 16 of the
 * 56-byte header. One record per API number; {@link UnknownApi} for numbers this protocol version does
 * not define. The same record type serves the request and the reply: the target echoes the header and
 * fills the output fields.
 */
public sealed interface ManipulateApi permits ReadVirtualMemory, WriteVirtualMemory, GetContext, SetContext,
        WriteBreakPoint, RestoreBreakPoint, Continue, ReadControlSpace, WriteControlSpace, ReadIoSpace,
        WriteIoSpace, Reboot, Continue2, ReadPhysicalMemory, WritePhysicalMemory, QuerySpecialCalls,
        SetSpecialCall, ClearSpecialCalls, SetInternalBreakpoint, GetInternalBreakpoint, ReadIoSpaceExtended,
        WriteIoSpaceExtended, GetVersion, WriteBreakPointEx, RestoreBreakPointEx, CauseBugCheck,
        SwitchProcessor, PageIn, ReadMachineSpecificRegister, WriteMachineSpecificRegister, SearchMemory,
        GetBusData, SetBusData, CheckLowMemory, ClearAllInternalBreakpoints, FillMemory, QueryMemory,
        SwitchPartition, WriteCustomBreakpoint, GetContextEx, SetContextEx, UnknownApi {

    /** @return the ApiNumber field (e.g. {@code 0x3130} for DbgKdReadVirtualMemoryApi) */
    int apiNumber();

    /**
     * Writes the union's fields into a little-endian buffer holding the whole 56-byte header, at the
     * absolute offsets of {@code spec/kd.md} §6.2 (16 to 55); other bytes are left alone.
     */
    void writeUnion(ByteBuffer header, KdArchitecture architecture);
}
