package dev.debugport.debugger.session;

import dev.debugport.nt.NtStatus;

/** How to go on from one event: stop (with why), or continue with a status. */
record Decision(Stop stop, NtStatus status) {
    static Decision go(NtStatus status) {
        return new Decision(null, status);
    }

    static Decision stop(Stop stop, NtStatus status) {
        return new Decision(stop, status);
    }
}
