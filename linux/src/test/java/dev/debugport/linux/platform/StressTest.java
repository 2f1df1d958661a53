package dev.debugport.linux.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debugport.nt.Amd64Context;
import dev.debugport.nt.Amd64Register;
import dev.debugport.nt.DebugCreationFlags;
import dev.debugport.nt.DebugEvent;
import dev.debugport.nt.DebugEventCode;
import dev.debugport.nt.DebugEventInfo;
import dev.debugport.nt.NtStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Many threads in many processes raising exceptions at once, on one debug object: every event is delivered exactly
 * once and in order per thread. 16 threads in each of 4 processes execute int3 {@code debugport.stress.iterations}
 * times each (default 10,000: 640,000 breakpoint events); each int3 carries the thread's index in rax and the
 * iteration in rbx, which the debugger reads with GetThreadContext.
 */
class StressTest {
    private static final int PROCESSES = 4;
    private static final int THREADS = 16;
    private static final long ITERATIONS = Long.getLong("debugport.stress.iterations", 10_000);

    @Test
    void everyEventExactlyOnceInOrderPerThread() {
        try (LinuxDebugFixture f = new LinuxDebugFixture()) {
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < PROCESSES; i++) {
                pids.add(f.launch(DebugCreationFlags.DEBUG_PROCESS, "stress", Integer.toString(THREADS), Long.toString(ITERATIONS)).processId());
            }
            Map<Long, Long> next = new HashMap<>(); // (pid << 32 | index) -> the iteration expected next
            Map<Integer, Long> indexOfTid = new HashMap<>();
            Set<Integer> loaderBreakSeen = new HashSet<>();
            int exited = 0;
            long events = 0;
            long start = System.nanoTime();
            while (exited < PROCESSES) {
                DebugEvent e = f.next();
                events++;
                if (e.code() == DebugEventCode.EXCEPTION_DEBUG_EVENT) {
                    int code = LinuxDebugFixture.exceptionCode(e);
                    assertEquals(NtStatus.STATUS_BREAKPOINT.value(), code, () -> "unexpected " + e);
                    if (loaderBreakSeen.add(e.processId())) {
                        f.resume(e); // the loader breakpoint comes first in each process
                        continue;
                    }
                    Amd64Context c = f.context(e.threadId());
                    long index = c.get(Amd64Register.RAX);
                    long iteration = c.get(Amd64Register.RBX);
                    assertTrue(index >= 1 && index <= THREADS, () -> "rax " + index);
                    Long known = indexOfTid.putIfAbsent(e.threadId(), index);
                    assertTrue(known == null || known == index, "one thread, one index");
                    long key = (long) e.processId() << 32 | index;
                    long expected = next.getOrDefault(key, 0L);
                    assertEquals(expected, iteration, () -> "thread " + e.threadId() + " of " + e.processId()
                            + ": expected iteration " + expected);
                    next.put(key, iteration + 1);
                } else if (e.code() == DebugEventCode.EXIT_PROCESS_DEBUG_EVENT) {
                    assertEquals(0, ((DebugEventInfo.ExitProcessDebugInfo) e.info()).exitCode());
                    exited++;
                }
                f.resume(e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("stress: %d events in %.1f s (%.0f/s)%n", events, seconds, events / seconds);
            assertEquals(PROCESSES * THREADS, next.size(), "every thread of every process reported");
            for (Map.Entry<Long, Long> e : next.entrySet()) {
                assertEquals(ITERATIONS, e.getValue(), "thread " + (e.getKey() & 0xFFFFFFFFL) + " of " + (e.getKey() >>> 32)
                        + " delivered every iteration exactly once");
            }
        }
    }
}
