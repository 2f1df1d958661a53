package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.linux.ptrace.SigInfo;
import dev.debugport.linux.ptrace.Signals;
import dev.debugport.nt.ExceptionRecord;
import dev.debugport.nt.NtStatus;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The signal table and the read/write decoder, without a process. */
class SignalMappingTest {
    private static int decode(String hex) {
        return AccessDecoder.decode(HexFormat.of().parseHex(hex), 0x1000, 0x7000, 0x2000);
    }

    @Test
    void storesAndLoads() {
        assertEquals(AccessDecoder.WRITE, decode("8907"));          // mov [rdi], eax
        assertEquals(AccessDecoder.READ, decode("8b07"));           // mov eax, [rdi]
        assertEquals(AccessDecoder.WRITE, decode("488907"));        // mov [rdi], rax
        assertEquals(AccessDecoder.WRITE, decode("c7002a000000"));  // mov dword [rax], 42
        assertEquals(AccessDecoder.READ, decode("833800"));         // cmp dword [rax], 0
        assertEquals(AccessDecoder.WRITE, decode("830001"));        // add dword [rax], 1
        assertEquals(AccessDecoder.WRITE, decode("0f1107"));        // movups [rdi], xmm0
        assertEquals(AccessDecoder.READ, decode("0f1007"));         // movups xmm0, [rdi]
        assertEquals(AccessDecoder.WRITE, decode("c5f81107"));      // vmovups [rdi], xmm0
        assertEquals(AccessDecoder.READ, decode("c5f81007"));       // vmovups xmm0, [rdi]
        assertEquals(AccessDecoder.WRITE, decode("f3ab"));          // rep stosd
        assertEquals(AccessDecoder.READ, decode("f3a6"));           // repe cmpsb
        assertEquals(AccessDecoder.WRITE, decode("66890f"));        // mov [rdi], cx
        assertEquals(AccessDecoder.WRITE, decode("0f9407"));        // sete [rdi]
        assertEquals(AccessDecoder.READ, decode(""));
        assertEquals(AccessDecoder.WRITE, AccessDecoder.decode(HexFormat.of().parseHex("50"), 0x6ff8, 0x7000, 0)); // push
    }

    private static SigInfo info(int signo, int code, long addr) {
        byte[] raw = new byte[128];
        return new SigInfo(signo, 0, code, addr, 0, 0, 0, raw);
    }

    private static final SignalMapping.Context CTX = new SignalMapping.Context() {
        @Override
        public long rip() {
            return 0x401000;
        }

        @Override
        public long rsp() {
            return 0x7000;
        }

        @Override
        public long rdi() {
            return 0;
        }

        @Override
        public byte[] code() {
            return HexFormat.of().parseHex("8b07");
        }

        @Override
        public ProcMaps.Mapping mappingAt(long address) {
            return null;
        }
    };

    @Test
    void theTable() {
        ExceptionRecord bp = SignalMapping.record(Signals.SIGTRAP, info(Signals.SIGTRAP, Signals.SI_KERNEL, 0), CTX);
        assertEquals(NtStatus.STATUS_BREAKPOINT.value(), bp.code());
        assertEquals(0x400fff, bp.address(), "the int3, one byte before rip");
        assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), SignalMapping.record(Signals.SIGTRAP, info(Signals.SIGTRAP, Signals.TRAP_TRACE, 0), CTX).code());
        assertEquals(NtStatus.STATUS_SINGLE_STEP.value(), SignalMapping.record(Signals.SIGTRAP, info(Signals.SIGTRAP, Signals.TRAP_HWBKPT, 0), CTX).code());
        ExceptionRecord av = SignalMapping.record(Signals.SIGSEGV, info(Signals.SIGSEGV, Signals.SEGV_MAPERR, 0x10), CTX);
        assertEquals(NtStatus.STATUS_ACCESS_VIOLATION.value(), av.code());
        assertEquals(0, av.info(0));
        assertEquals(0x10, av.info(1));
        assertEquals(NtStatus.STATUS_INTEGER_DIVIDE_BY_ZERO.value(), SignalMapping.record(Signals.SIGFPE, info(Signals.SIGFPE, Signals.FPE_INTDIV, 0x401000), CTX).code());
        assertEquals(NtStatus.STATUS_INTEGER_OVERFLOW.value(), SignalMapping.record(Signals.SIGFPE, info(Signals.SIGFPE, Signals.FPE_INTOVF, 0x401000), CTX).code());
        assertEquals(NtStatus.STATUS_FLOAT_DIVIDE_BY_ZERO.value(), SignalMapping.record(Signals.SIGFPE, info(Signals.SIGFPE, 3, 0x401000), CTX).code());
        assertEquals(NtStatus.STATUS_DATATYPE_MISALIGNMENT.value(), SignalMapping.record(Signals.SIGBUS, info(Signals.SIGBUS, Signals.BUS_ADRALN, 0x11), CTX).code());
        assertEquals(NtStatus.STATUS_PRIVILEGED_INSTRUCTION.value(), SignalMapping.record(Signals.SIGILL, info(Signals.SIGILL, Signals.ILL_PRVOPC, 0x401000), CTX).code());
        assertEquals(NtStatus.STATUS_ILLEGAL_INSTRUCTION.value(), SignalMapping.record(Signals.SIGILL, info(Signals.SIGILL, Signals.ILL_ILLOPC, 0x401000), CTX).code());
        assertEquals(NtStatus.STATUS_FATAL_APP_EXIT.value(), SignalMapping.record(Signals.SIGABRT, info(Signals.SIGABRT, -6, 0), CTX).code());
        assertEquals(NtStatus.DBG_CONTROL_C.value(), SignalMapping.record(Signals.SIGINT, info(Signals.SIGINT, 0, 0), CTX).code());
        assertEquals(0xE000000F, SignalMapping.record(Signals.SIGTERM, info(Signals.SIGTERM, 0, 0), CTX).code());
        assertTrue(SignalMapping.isSilent(Signals.SIGCHLD));
        assertTrue(SignalMapping.isSilent(Signals.SIGSTOP));
        assertFalse(SignalMapping.isSilent(Signals.SIGUSR1));
        assertTrue(SignalMapping.defaultTerminates(Signals.SIGUSR1));
        assertFalse(SignalMapping.defaultTerminates(Signals.SIGWINCH));
    }
}
