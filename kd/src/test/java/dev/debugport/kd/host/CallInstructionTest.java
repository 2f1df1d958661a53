package dev.debugport.kd.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debugport.kd.message.KdArchitecture;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The call forms {@code p} steps over, with their lengths as an assembler encodes them. */
class CallInstructionTest {
    private static OptionalInt amd64(String hex) {
        return CallInstruction.length(HexFormat.of().parseHex(hex), KdArchitecture.AMD64);
    }

    private static OptionalInt x86(String hex) {
        return CallInstruction.length(HexFormat.of().parseHex(hex), KdArchitecture.X86);
    }

    @Test
    void relativeCalls() {
        assertEquals(OptionalInt.of(5), amd64("e8e2ffffffc3"));        // call rel32; ret
        assertEquals(OptionalInt.of(6), amd64("66e800000000"));        // operand size ignored in 64-bit code
        assertEquals(OptionalInt.of(5), x86("e800000000"));
        assertEquals(OptionalInt.of(4), x86("66e80000"));              // call rel16
    }

    @Test
    void indirectCallsThroughRegistersAndMemory() {
        assertEquals(OptionalInt.of(2), amd64("ffd0"));                // call rax
        assertEquals(OptionalInt.of(3), amd64("41ffd3"));              // call r11
        assertEquals(OptionalInt.of(6), amd64("ff15f8ff0000"));        // call qword ptr [rip+0xfff8]
        assertEquals(OptionalInt.of(2), amd64("ff10"));                // call qword ptr [rax]
        assertEquals(OptionalInt.of(3), amd64("ff5008"));              // call qword ptr [rax+8]
        assertEquals(OptionalInt.of(6), amd64("ff9000010000"));        // call qword ptr [rax+0x100]
        assertEquals(OptionalInt.of(3), amd64("ff14c3"));              // call qword ptr [rbx+rax*8]
        assertEquals(OptionalInt.of(4), amd64("ff54c308"));            // call qword ptr [rbx+rax*8+8]
        assertEquals(OptionalInt.of(7), amd64("ff14c500100000"));      // call qword ptr [rax*8+0x1000] (SIB, no base)
        assertEquals(OptionalInt.of(8), amd64("41ff94c400010000"));    // call qword ptr [r12+rax*8+0x100]
        assertEquals(OptionalInt.of(7), amd64("2eff1500000000"));      // a segment prefix in front
        assertEquals(OptionalInt.of(4), amd64("48ff5808"));            // call far [rax+8] (FF /3)
        assertEquals(OptionalInt.of(6), x86("ff1500104000"));          // call dword ptr ds:[0x401000] (disp32)
        assertEquals(OptionalInt.of(5), x86("67ff160010"));            // 16-bit addressing: call [0x1000]
        assertEquals(OptionalInt.of(7), x86("9a001040000800"));        // call far 0008:00401000
    }

    @Test
    void otherInstructionsAndTruncatedCallsAreNotCalls() {
        assertEquals(OptionalInt.empty(), amd64("90"));
        assertEquals(OptionalInt.empty(), amd64("c3"));
        assertEquals(OptionalInt.empty(), amd64("ffe0"));              // jmp rax (FF /4)
        assertEquals(OptionalInt.empty(), amd64("ffc0"));              // inc eax (FF /0)
        assertEquals(OptionalInt.empty(), amd64("ffd8"));              // FF /3 with a register: invalid
        assertEquals(OptionalInt.empty(), amd64("9a001040000800"));    // far direct call: invalid in 64-bit code
    }

    @Test
    void truncatedOrOverlongCodeIsNotACall() {
        assertEquals(OptionalInt.empty(), amd64("e8e2ff"));
        assertEquals(OptionalInt.empty(), amd64("ff15"));
        assertEquals(OptionalInt.empty(), amd64("ff14"));
        assertEquals(OptionalInt.empty(), amd64(""));
        assertEquals(OptionalInt.empty(), amd64("66".repeat(11) + "e800000000")); // 16 bytes: over the limit
    }
}
