package dev.debugport.linux.ptrace;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.SortedSet;

/** Reads the parts of {@code /proc} a tracer needs: thread lists, thread states, tracer and signal masks. */
public final class Procfs {
    private Procfs() {
    }

    private static final Path PROC = Path.of("/proc");

    /** The thread ids in {@code /proc/pid/task} (ESRCH when the process is gone). */
    public static SysResult<SortedSet<Integer>> tasks(int pid) {
        int[] tids = taskIds(pid);
        if (tids.length == 0) {
            return SysResult.err(Errno.ESRCH, "list /proc/" + pid + "/task");
        }
        SortedSet<Integer> set = new TreeSet<>();
        for (int tid : tids) {
            set.add(tid);
        }
        return SysResult.ok(set);
    }

    /**
     * The thread ids in {@code /proc/pid/task}, ascending (creation order, but for reused ids); none when the process
     * is gone. Read with java.io.File.list, which returns the names in one call: a DirectoryStream makes a Path of
     * every entry, and with a thousand threads that was half of an attach's seize phase.
     */
    public static int[] taskIds(int pid) {
        String[] names = new File("/proc/" + pid + "/task").list();
        if (names == null) {
            return new int[0];
        }
        int[] tids = new int[names.length];
        int n = 0;
        for (String name : names) {
            try {
                tids[n] = Integer.parseInt(name);
                n++;
            } catch (NumberFormatException ignored) {
                // not a thread entry
            }
        }
        int[] sorted = Arrays.copyOf(tids, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** {@code /proc/tid/status} as a map of field to text ("State" -> "t (tracing stop)"). */
    public static SysResult<Map<String, String>> status(int tid) {
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : Files.readAllLines(PROC.resolve(tid + "/status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            return SysResult.ok(fields);
        } catch (IOException e) {
            return SysResult.err(errnoOf(e), "read /proc/" + tid + "/status");
        }
    }

    /**
     * The one-letter scheduler state of a thread from {@code /proc/tid/stat}: R running, S sleeping, D disk sleep,
     * T stopped (job control), t tracing stop, Z zombie, X dead. Empty when the thread is gone.
     */
    public static Optional<Character> state(int tid) {
        return statFields(tid).map(f -> f[0].charAt(0));
    }

    /**
     * When {@code pid} started, in clock ticks after boot ({@code /proc/pid/stat} field 22): with the pid, it tells a
     * process from a later one given the same pid. 0 when the process is gone.
     */
    public static long startTime(int pid) {
        try {
            return statFields(pid).map(f -> Long.parseLong(f[19])).orElse(0L);
        } catch (RuntimeException e) {
            return 0; // a line not in the stat format
        }
    }

    /**
     * The fields of {@code /proc/tid/stat} after the command name, from the state on (field 3 is index 0); empty when
     * the thread is gone. The command name, in parentheses, may hold spaces and parentheses: the fields start after
     * the last ')'.
     */
    private static Optional<String[]> statFields(int tid) {
        try {
            String stat = Files.readString(PROC.resolve(tid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() ? Optional.empty()
                    : Optional.of(stat.substring(close + 2).split(" "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when {@code /proc/tid} exists (running, stopped or zombie). */
    public static boolean exists(int tid) {
        return Files.exists(PROC.resolve(Integer.toString(tid)));
    }

    /** The thread-group id (process id) of {@code tid}. */
    public static SysResult<Integer> tgid(int tid) {
        return intField(tid, "Tgid");
    }

    /** The parent process id of {@code pid}. */
    public static SysResult<Integer> ppid(int pid) {
        return intField(pid, "PPid");
    }

    /** The pid of the process tracing {@code tid} (0 when not traced). */
    public static SysResult<Integer> tracerPid(int tid) {
        return intField(tid, "TracerPid");
    }

    /**
     * The mask of signals {@code pid} has handlers for ({@code SigCgt}); bit {@code n-1} is signal {@code n}. A signal
     * whose bit is clear and whose default action terminates will kill the process: the "second chance" test.
     */
    public static SysResult<Long> signalsCaught(int pid) {
        return hexField(pid, "SigCgt");
    }

    /**
     * A signal mask of a {@link #status} map ({@code SigCgt}, {@code SigIgn}, {@code SigBlk}...) as bits; 0 when the
     * map lacks it.
     */
    public static long signalMask(Map<String, String> status, String field) {
        String v = status.get(field);
        return v == null ? 0 : Long.parseUnsignedLong(v, 16);
    }

    private static SysResult<Integer> intField(int tid, String name) {
        return status(tid).flatMap(f -> {
            String v = f.get(name);
            return v == null ? SysResult.err(Errno.EINVAL, "/proc/" + tid + "/status has no " + name)
                    : SysResult.ok(Integer.parseInt(v.split("\\s+")[0]));
        });
    }

    private static SysResult<Long> hexField(int tid, String name) {
        return status(tid).flatMap(f -> {
            String v = f.get(name);
            return v == null ? SysResult.err(Errno.EINVAL, "/proc/" + tid + "/status has no " + name)
                    : SysResult.ok(Long.parseUnsignedLong(v, 16));
        });
    }

    static Errno errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ESRCH;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        return Errno.EIO;
    }
}
