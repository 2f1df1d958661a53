package dev.debugport.dbgk;

import dev.debugport.kernel.ps.EProcess;
import dev.debugport.kernel.ps.Peb;

/** Keeps PEB.BeingDebugged in step with the debug port. */
final class PebMarker {
    private final Dbgk dbgk;

    PebMarker(Dbgk dbgk) {
        this.dbgk = dbgk;
    }

    /**
     * Implements DbgkpMarkProcessPeb: under the process's rundown protection and the port mutex, sets
     * BeingDebugged to whether the process has a debug port; for a 32-bit WoW64 process also in the PEB32. A process
     * whose rundown is gone (exiting) is left alone.
     */
    void markProcessPeb(EProcess process) {
        if (!process.rundown().acquire()) {
            return;
        }
        try {
            dbgk.portMutex.lock();
            try {
                boolean debugged = process.debugPort() != null;
                Peb peb = process.peb();
                if (peb != null) {
                    peb.setBeingDebugged(debugged);
                }
                Peb peb32 = process.peb32();
                if (peb32 != null && process.traits().isWow64_32()) {
                    peb32.setBeingDebugged(debugged);
                }
            } finally {
                dbgk.portMutex.unlock();
            }
        } finally {
            process.rundown().release();
        }
    }
}
