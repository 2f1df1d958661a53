package dev.debugport.kd.host;

import dev.debugport.kd.codec.ByteString;
import dev.debugport.kd.message.DbgkdWaitStateChange64;
import dev.debugport.kd.message.ExceptionRecord64;
import dev.debugport.kd.message.ExceptionStateChange;
import dev.debugport.kd.message.KdArchitecture;
import dev.debugport.kd.message.LoadSymbolsStateChange;
import dev.debugport.nt.NtStatus;
import java.util.Optional;

/**
 * A STATE_CHANGE64 the target sent ("it stopped"), decoded for the target's architecture, with the raw payload kept
 * so that it can be decoded again once GetVersion has told the architecture (the first stop arrives before it).
 *
 * @param change the decoded structure
 * @param payload the packet payload
 * @param architecture the architecture it was decoded for
 */
public record KdStateChange(DbgkdWaitStateChange64 change, ByteString payload, KdArchitecture architecture) {

    /** @return this stop decoded for {@code arch} */
    public KdStateChange as(KdArchitecture arch) {
        if (arch == architecture) {
            return this;
        }
        return DbgkdWaitStateChange64.decode(payload, arch).map(c -> new KdStateChange(c, payload, arch)).orElse(this);
    }

    /** @return the ProgramCounter */
    public long pc() {
        return change.programCounter();
    }

    /** @return the KTHREAD address of the reporting thread */
    public long thread() {
        return change.thread();
    }

    /** @return the exception of an exception stop */
    public Optional<ExceptionRecord64> exception() {
        return change.info() instanceof ExceptionStateChange e ? Optional.of(e.exceptionRecord()) : Optional.empty();
    }

    /** @return true for a first-chance exception stop */
    public boolean firstChance() {
        return change.info() instanceof ExceptionStateChange e && e.firstChance();
    }

    /** @return true for an exception stop with {@code code} */
    public boolean isException(NtStatus code) {
        return exception().map(r -> r.exceptionCode() == code.value()).orElse(false);
    }

    /** @return true for a load- or unload-symbols stop */
    public boolean isLoadSymbols() {
        return change.info() instanceof LoadSymbolsStateChange;
    }

    /** @return the instruction bytes at the PC that the control report carries */
    public ByteString instructionStream() {
        return change.controlReport().instructionStream().substring(0, change.controlReport().instructionCount());
    }
}
