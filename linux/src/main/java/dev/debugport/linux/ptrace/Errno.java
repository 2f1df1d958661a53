package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A Linux error number (errno), as a value. The constants are the x86-64 Linux values; {@link #name()} gives the
 * symbolic name and {@link #message()} the C library's text.
 *
 * @param code the errno value (positive)
 */
public record Errno(int code) {
    public static final Errno EPERM = new Errno(1);
    public static final Errno ENOENT = new Errno(2);
    public static final Errno ESRCH = new Errno(3);
    public static final Errno EINTR = new Errno(4);
    public static final Errno EIO = new Errno(5);
    public static final Errno E2BIG = new Errno(7);
    public static final Errno ENOEXEC = new Errno(8);
    public static final Errno EBADF = new Errno(9);
    public static final Errno ECHILD = new Errno(10);
    public static final Errno EAGAIN = new Errno(11);
    public static final Errno ENOMEM = new Errno(12);
    public static final Errno EACCES = new Errno(13);
    public static final Errno EFAULT = new Errno(14);
    public static final Errno EBUSY = new Errno(16);
    public static final Errno EEXIST = new Errno(17);
    public static final Errno ENOTDIR = new Errno(20);
    public static final Errno EISDIR = new Errno(21);
    public static final Errno EINVAL = new Errno(22);
    public static final Errno ENOSYS = new Errno(38);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(7, "E2BIG"), Map.entry(8, "ENOEXEC"), Map.entry(9, "EBADF"),
            Map.entry(10, "ECHILD"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"),
            Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"), Map.entry(20, "ENOTDIR"),
            Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"), Map.entry(38, "ENOSYS"));

    public static Errno of(int code) {
        return new Errno(code);
    }

    /** The symbolic name ("ESRCH"), or "errno N" for numbers without a constant here. */
    public String name() {
        return NAMES.getOrDefault(code, "errno " + code);
    }

    /** The C library's description ({@code strerror}). */
    public String message() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.allocateCallState(arena);
            MemorySegment text = LibC.strerror(state, code);
            return text.equals(MemorySegment.NULL) ? name() : text.getString(0);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    // Written out for the reason Handle's are (dev.debugport.nt.Handle): cold, the generated ones are slow.
    @Override
    public boolean equals(Object o) {
        return o instanceof Errno e && e.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }
}
