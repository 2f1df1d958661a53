package dev.debugport.kd.message;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The ApiNumber values of {@code DBGKD_MANIPULATE_STATE64} that {@code spec/kd.md} §6.1 lists, with
 * their NT names, whether the target answers with a reply packet, and the decoder of their union.
 * Numbers not listed (e.g. {@code 0x3154}) decode to {@link UnknownApi}.
 */
public enum ManipulateApiNumber {
    /** {@code DbgKdReadVirtualMemoryApi} (0x3130). */
    READ_VIRTUAL_MEMORY(0x3130, "DbgKdReadVirtualMemoryApi", true, ReadVirtualMemory::readUnion),
    /** {@code DbgKdWriteVirtualMemoryApi} (0x3131). */
    WRITE_VIRTUAL_MEMORY(0x3131, "DbgKdWriteVirtualMemoryApi", true, WriteVirtualMemory::readUnion),
    /** {@code DbgKdGetContextApi} (0x3132). */
    GET_CONTEXT(0x3132, "DbgKdGetContextApi", true, GetContext::readUnion),
    /** {@code DbgKdSetContextApi} (0x3133). */
    SET_CONTEXT(0x3133, "DbgKdSetContextApi", true, SetContext::readUnion),
    /** {@code DbgKdWriteBreakPointApi} (0x3134). */
    WRITE_BREAKPOINT(0x3134, "DbgKdWriteBreakPointApi", true, WriteBreakPoint::readUnion),
    /** {@code DbgKdRestoreBreakPointApi} (0x3135). */
    RESTORE_BREAKPOINT(0x3135, "DbgKdRestoreBreakPointApi", true, RestoreBreakPoint::readUnion),
    /** {@code DbgKdContinueApi} (0x3136), no reply. */
    CONTINUE(0x3136, "DbgKdContinueApi", false, Continue::readUnion),
    /** {@code DbgKdReadControlSpaceApi} (0x3137). */
    READ_CONTROL_SPACE(0x3137, "DbgKdReadControlSpaceApi", true, ReadControlSpace::readUnion),
    /** {@code DbgKdWriteControlSpaceApi} (0x3138). */
    WRITE_CONTROL_SPACE(0x3138, "DbgKdWriteControlSpaceApi", true, WriteControlSpace::readUnion),
    /** {@code DbgKdReadIoSpaceApi} (0x3139). */
    READ_IO_SPACE(0x3139, "DbgKdReadIoSpaceApi", true, ReadIoSpace::readUnion),
    /** {@code DbgKdWriteIoSpaceApi} (0x313A). */
    WRITE_IO_SPACE(0x313A, "DbgKdWriteIoSpaceApi", true, WriteIoSpace::readUnion),
    /** {@code DbgKdRebootApi} (0x313B), no reply. */
    REBOOT(0x313B, "DbgKdRebootApi", false, Reboot::readUnion),
    /** {@code DbgKdContinueApi2} (0x313C), no reply. */
    CONTINUE2(0x313C, "DbgKdContinueApi2", false, Continue2::readUnion),
    /** {@code DbgKdReadPhysicalMemoryApi} (0x313D). */
    READ_PHYSICAL_MEMORY(0x313D, "DbgKdReadPhysicalMemoryApi", true, ReadPhysicalMemory::readUnion),
    /** {@code DbgKdWritePhysicalMemoryApi} (0x313E). */
    WRITE_PHYSICAL_MEMORY(0x313E, "DbgKdWritePhysicalMemoryApi", true, WritePhysicalMemory::readUnion),
    /** {@code DbgKdQuerySpecialCallsApi} (0x313F). */
    QUERY_SPECIAL_CALLS(0x313F, "DbgKdQuerySpecialCallsApi", true, QuerySpecialCalls::readUnion),
    /** {@code DbgKdSetSpecialCallApi} (0x3140). */
    SET_SPECIAL_CALL(0x3140, "DbgKdSetSpecialCallApi", true, SetSpecialCall::readUnion),
    /** {@code DbgKdClearSpecialCallsApi} (0x3141). */
    CLEAR_SPECIAL_CALLS(0x3141, "DbgKdClearSpecialCallsApi", true, ClearSpecialCalls::readUnion),
    /** {@code DbgKdSetInternalBreakPointApi} (0x3142). */
    SET_INTERNAL_BREAKPOINT(0x3142, "DbgKdSetInternalBreakPointApi", true, SetInternalBreakpoint::readUnion),
    /** {@code DbgKdGetInternalBreakPointApi} (0x3143). */
    GET_INTERNAL_BREAKPOINT(0x3143, "DbgKdGetInternalBreakPointApi", true, GetInternalBreakpoint::readUnion),
    /** {@code DbgKdReadIoSpaceExtendedApi} (0x3144). */
    READ_IO_SPACE_EXTENDED(0x3144, "DbgKdReadIoSpaceExtendedApi", true, ReadIoSpaceExtended::readUnion),
    /** {@code DbgKdWriteIoSpaceExtendedApi} (0x3145). */
    WRITE_IO_SPACE_EXTENDED(0x3145, "DbgKdWriteIoSpaceExtendedApi", true, WriteIoSpaceExtended::readUnion),
    /** {@code DbgKdGetVersionApi} (0x3146). */
    GET_VERSION(0x3146, "DbgKdGetVersionApi", true, GetVersion::readUnion),
    /** {@code DbgKdWriteBreakPointExApi} (0x3147). */
    WRITE_BREAKPOINT_EX(0x3147, "DbgKdWriteBreakPointExApi", true, WriteBreakPointEx::readUnion),
    /** {@code DbgKdRestoreBreakPointExApi} (0x3148). */
    RESTORE_BREAKPOINT_EX(0x3148, "DbgKdRestoreBreakPointExApi", true, RestoreBreakPointEx::readUnion),
    /** {@code DbgKdCauseBugCheckApi} (0x3149), no reply. */
    CAUSE_BUG_CHECK(0x3149, "DbgKdCauseBugCheckApi", false, CauseBugCheck::readUnion),
    /** {@code DbgKdSwitchProcessor} (0x3150), no reply. */
    SWITCH_PROCESSOR(0x3150, "DbgKdSwitchProcessor", false, SwitchProcessor::readUnion),
    /** {@code DbgKdPageInApi} (0x3151). */
    PAGE_IN(0x3151, "DbgKdPageInApi", true, PageIn::readUnion),
    /** {@code DbgKdReadMachineSpecificRegister} (0x3152). */
    READ_MACHINE_SPECIFIC_REGISTER(0x3152, "DbgKdReadMachineSpecificRegister", true, ReadMachineSpecificRegister::readUnion),
    /** {@code DbgKdWriteMachineSpecificRegister} (0x3153). */
    WRITE_MACHINE_SPECIFIC_REGISTER(0x3153, "DbgKdWriteMachineSpecificRegister", true, WriteMachineSpecificRegister::readUnion),
    /** {@code DbgKdSearchMemoryApi} (0x3156). */
    SEARCH_MEMORY(0x3156, "DbgKdSearchMemoryApi", true, SearchMemory::readUnion),
    /** {@code DbgKdGetBusDataApi} (0x3157). */
    GET_BUS_DATA(0x3157, "DbgKdGetBusDataApi", true, GetBusData::readUnion),
    /** {@code DbgKdSetBusDataApi} (0x3158). */
    SET_BUS_DATA(0x3158, "DbgKdSetBusDataApi", true, SetBusData::readUnion),
    /** {@code DbgKdCheckLowMemoryApi} (0x3159). */
    CHECK_LOW_MEMORY(0x3159, "DbgKdCheckLowMemoryApi", true, CheckLowMemory::readUnion),
    /** {@code DbgKdClearAllInternalBreakpointsApi} (0x315A), no reply. */
    CLEAR_ALL_INTERNAL_BREAKPOINTS(0x315A, "DbgKdClearAllInternalBreakpointsApi", false, ClearAllInternalBreakpoints::readUnion),
    /** {@code DbgKdFillMemoryApi} (0x315B). */
    FILL_MEMORY(0x315B, "DbgKdFillMemoryApi", true, FillMemory::readUnion),
    /** {@code DbgKdQueryMemoryApi} (0x315C). */
    QUERY_MEMORY(0x315C, "DbgKdQueryMemoryApi", true, QueryMemory::readUnion),
    /** {@code DbgKdSwitchPartition} (0x315D). */
    SWITCH_PARTITION(0x315D, "DbgKdSwitchPartition", true, SwitchPartition::readUnion),
    /** {@code DbgKdWriteCustomBreakpointApi} (0x315E). */
    WRITE_CUSTOM_BREAKPOINT(0x315E, "DbgKdWriteCustomBreakpointApi", true, WriteCustomBreakpoint::readUnion),
    /** {@code DbgKdGetContextExApi} (0x315F). */
    GET_CONTEXT_EX(0x315F, "DbgKdGetContextExApi", true, GetContextEx::readUnion),
    /** {@code DbgKdSetContextExApi} (0x3160). */
    SET_CONTEXT_EX(0x3160, "DbgKdSetContextExApi", true, SetContextEx::readUnion);

    private static final Map<Integer, ManipulateApiNumber> BY_VALUE = new HashMap<>();

    static {
        for (ManipulateApiNumber api : values()) {
            BY_VALUE.put(api.value, api);
        }
    }

    /** {@code DbgKdMinimumManipulate}: the first API number. */
    public static final int MINIMUM = 0x3130;
    /**
     * {@code DbgKdMaximumManipulate}: one past the last API number ReactOS knows; GetVersion reports
     * {@code MAXIMUM - MINIMUM} = 0x31 as MaxManipulate.
     */
    public static final int MAXIMUM = 0x3161;

    private final int value;
    private final String ntName;
    private final boolean hasReply;
    private final BiFunction<ByteBuffer, KdArchitecture, ManipulateApi> unionReader;

    ManipulateApiNumber(int value, String ntName, boolean hasReply,
                        BiFunction<ByteBuffer, KdArchitecture, ManipulateApi> unionReader) {
        this.value = value;
        this.ntName = ntName;
        this.hasReply = hasReply;
        this.unionReader = unionReader;
    }

    /** @return the ApiNumber on the wire */
    public int value() {
        return value;
    }

    /** @return the NT constant name, e.g. {@code DbgKdReadVirtualMemoryApi} */
    public String ntName() {
        return ntName;
    }

    /**
     * @return false for the APIs the target answers with nothing but the ACK: Continue, Continue2,
     *         Reboot, CauseBugCheck, SwitchProcessor, ClearAllInternalBreakpoints
     */
    public boolean hasReply() {
        return hasReply;
    }

    /** @return the API with this number, or empty */
    public static Optional<ManipulateApiNumber> fromValue(int value) {
        return Optional.ofNullable(BY_VALUE.get(value));
    }

    /** Decodes the union of this API from a little-endian buffer holding the whole 56-byte header. */
    ManipulateApi readUnion(ByteBuffer header, KdArchitecture architecture) {
        return unionReader.apply(header, architecture);
    }
}
