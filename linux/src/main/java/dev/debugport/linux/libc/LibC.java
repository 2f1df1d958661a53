package dev.debugport.linux.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw FFM bindings to the glibc functions debugport-linux needs (x86-64 Linux, glibc 2.34 or newer). No logic: every
 * binding is a function address plus a static method with the C signature that calls it.
 *
 * <p><b>One native shape.</b> Every function is called through one downcall handle, linked once, of the shape
 * {@code long f(long, long, long, long, long, long)} with the target address as a parameter. Linking a handle makes
 * the FFM linker generate code for its shape at run time, for every distinct shape: with a handle per function (about
 * thirty shapes) this class's initialization took ~450 ms on the loaded 2-core build machine, with one ~180 ms (the
 * linker's own first use, mostly), a cost every {@code debugport run} pays at start-up. On x86-64 System V the one
 * shape is exact for these functions: every argument here is an integer or a pointer, passed in a 64-bit register
 * whichever its C width (the callee reads
 * the low 32 bits of an {@code int}, the low 16 of a {@code short}); arguments a function does not have are left in
 * registers it does not read; an {@code int} result is the low 32 bits of {@code rax}, which the wrappers cast to
 * {@code int}. The handle is linked as variadic from its second argument, so each call sets {@code al} (the count of
 * vector registers used) to 0, as the variadic functions ({@code ptrace}, {@code open}) need, and as the others
 * ignore.
 *
 * <p><b>errno.</b> Every handle is linked with {@code Linker.Option.captureCallState("errno")}: its first parameter is
 * a capture segment ({@link #allocateCallState}); after the call, {@link #errno(MemorySegment)} reads the errno the
 * function left. The value is only meaningful when the function reported failure (most return -1; {@code posix_spawn*}
 * return the error number instead; {@code PTRACE_PEEK*} can return -1 as data, and glibc's wrapper sets errno to 0
 * when a PEEK succeeds, so -1 with errno 0 is data). A capture segment is not thread-safe: use one per thread.
 *
 * <p><b>ptrace.</b> The glibc {@code ptrace} wrapper returns {@code PTRACE_PEEK*} data as its result (the raw
 * syscall would store it through {@code data}).
 *
 * <p><b>Threads.</b> ptrace requests other than {@code PTRACE_SEIZE}/{@code PTRACE_ATTACH} succeed only on the thread
 * that attached; see {@code dev.debugport.linux.tracer.Tracer}.
 *
 * <p>Linking native functions is a restricted operation: run with {@code --enable-native-access=ALL-UNNAMED} (or the
 * module's name), or the JDK prints a warning on first use.
 */
@SuppressWarnings("restricted")
public final class LibC {
    private LibC() {
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    /** The layout of the call-state capture segment (holds {@code errno}). */
    public static final StructLayout CALL_STATE_LAYOUT = Linker.Option.captureStateLayout();
    /**
     * Where {@code errno} is in a capture segment. Read as a plain int at an offset rather than through the layout's
     * VarHandle, whose method-handle tree the JVM would generate at start-up (a few ms of every run).
     */
    private static final long ERRNO_OFFSET =
            CALL_STATE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code size_t}, {@code ssize_t}, {@code long} and pointers on x86-64. */
    public static final ValueLayout.OfLong C_LONG = JAVA_LONG;
    /** {@code struct iovec { void *iov_base; size_t iov_len; }} (16 bytes). */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));

    /** {@code sizeof(siginfo_t)} on x86-64. */
    public static final long SIGINFO_SIZE = 128;
    /** {@code sizeof(sigset_t)} in glibc. */
    public static final long SIGSET_SIZE = 128;
    /** {@code sizeof(posix_spawn_file_actions_t)} in glibc x86-64 is 80; allocate this much to be safe. */
    public static final long SPAWN_FILE_ACTIONS_SIZE = 256;
    /** {@code sizeof(posix_spawnattr_t)} in glibc x86-64 is 336; allocate this much to be safe. */
    public static final long SPAWNATTR_SIZE = 512;

    /**
     * Links the bindings now, if that has not happened yet (the class's initialization: the downcall handle, whose
     * code the FFM linker generates at run time, and the function addresses; tens of milliseconds), then makes the
     * memory accesses every caller of the bindings starts with: a C string, an array of pointers, an int and a long
     * read and written, {@link #environ}. The JVM generates the code behind each kind of access at its first use
     * (~8 ms in all, measured on the first posix_spawn of a run). A command-line tool calls it on a second thread at
     * start-up, so that all this overlaps its own set-up instead of delaying its first native calls.
     */
    public static void link() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ADDRESS, 2);
            argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("sh"));
            argv.setAtIndex(ADDRESS, 1, MemorySegment.NULL);
            MemorySegment word = arena.allocate(JAVA_LONG);
            word.set(JAVA_LONG, 0, word.get(ValueLayout.JAVA_INT, 0));
            environ();
        }
    }

    /** Allocates a call-state segment for the errno capture. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    /** The errno captured by the last call that used {@code callState}. */
    public static int errno(MemorySegment callState) {
        return callState.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /**
     * The one downcall handle: {@code (MemorySegment function, MemorySegment callState, long a1, ..., long a6) -> long}.
     */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));

    private static MemorySegment function(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** Calls {@code function} with up to six integer or pointer arguments (unused ones 0). */
    private static long call(MemorySegment function, MemorySegment callState, long a1, long a2, long a3, long a4,
                             long a5, long a6) {
        try {
            return (long) CALL.invokeExact(function, callState, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    private static RuntimeException invocationFailed(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- ptrace ----

    private static final MemorySegment PTRACE = function("ptrace");

    /** {@code long ptrace(enum __ptrace_request request, pid_t pid, void *addr, void *data)}. */
    public static long ptrace(MemorySegment callState, int request, int pid, long addr, long data) {
        return call(PTRACE, callState, request, pid, addr, data, 0, 0);
    }

    // ---- processes, signals, waiting ----

    private static final MemorySegment WAITPID = function("waitpid");
    private static final MemorySegment WAITID = function("waitid");
    private static final MemorySegment KILL = function("kill");
    private static final MemorySegment TGKILL = function("tgkill");
    private static final MemorySegment GETPID = function("getpid");
    private static final MemorySegment GETTID = function("gettid");

    /** {@code pid_t waitpid(pid_t pid, int *wstatus, int options)}. */
    public static int waitpid(MemorySegment callState, int pid, MemorySegment status, int options) {
        return (int) call(WAITPID, callState, pid, status.address(), options, 0, 0, 0);
    }

    /** {@code int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options)}. */
    public static int waitid(MemorySegment callState, int idtype, int id, MemorySegment siginfo, int options) {
        return (int) call(WAITID, callState, idtype, id, siginfo.address(), options, 0, 0);
    }

    /** {@code int kill(pid_t pid, int sig)}. */
    public static int kill(MemorySegment callState, int pid, int sig) {
        return (int) call(KILL, callState, pid, sig, 0, 0, 0, 0);
    }

    /** {@code int tgkill(pid_t tgid, pid_t tid, int sig)} (glibc 2.30+). */
    public static int tgkill(MemorySegment callState, int tgid, int tid, int sig) {
        return (int) call(TGKILL, callState, tgid, tid, sig, 0, 0, 0);
    }

    /** {@code pid_t getpid(void)}. */
    public static int getpid(MemorySegment callState) {
        return (int) call(GETPID, callState, 0, 0, 0, 0, 0, 0);
    }

    /** {@code pid_t gettid(void)} (glibc 2.30+). */
    public static int gettid(MemorySegment callState) {
        return (int) call(GETTID, callState, 0, 0, 0, 0, 0, 0);
    }

    // ---- cross-process memory ----

    private static final MemorySegment PROCESS_VM_READV = function("process_vm_readv");
    private static final MemorySegment PROCESS_VM_WRITEV = function("process_vm_writev");

    /**
     * {@code ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long liovcnt,
     * const struct iovec *remote, unsigned long riovcnt, unsigned long flags)}.
     */
    public static long processVmReadv(MemorySegment callState, int pid, MemorySegment local, long localCount,
                                      MemorySegment remote, long remoteCount, long flags) {
        return call(PROCESS_VM_READV, callState, pid, local.address(), localCount, remote.address(), remoteCount, flags);
    }

    /** {@code ssize_t process_vm_writev(...)}, same parameters as {@link #processVmReadv}. */
    public static long processVmWritev(MemorySegment callState, int pid, MemorySegment local, long localCount,
                                       MemorySegment remote, long remoteCount, long flags) {
        return call(PROCESS_VM_WRITEV, callState, pid, local.address(), localCount, remote.address(), remoteCount, flags);
    }

    // ---- files (for /proc/pid/mem) and pipes ----

    private static final MemorySegment OPEN = function("open");
    private static final MemorySegment PREAD = function("pread");
    private static final MemorySegment PWRITE = function("pwrite");
    private static final MemorySegment READ = function("read");
    private static final MemorySegment CLOSE = function("close");
    private static final MemorySegment PIPE2 = function("pipe2");
    private static final MemorySegment STRERROR = function("strerror");

    /** {@code int open(const char *path, int flags, ...)} (variadic mode). */
    public static int open(MemorySegment callState, MemorySegment path, int flags, int mode) {
        return (int) call(OPEN, callState, path.address(), flags, mode, 0, 0, 0);
    }

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}. */
    public static long pread(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        return call(PREAD, callState, fd, buf.address(), count, offset, 0, 0);
    }

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}. */
    public static long pwrite(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        return call(PWRITE, callState, fd, buf.address(), count, offset, 0, 0);
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        return call(READ, callState, fd, buf.address(), count, 0, 0, 0);
    }

    /** {@code int close(int fd)}. */
    public static int close(MemorySegment callState, int fd) {
        return (int) call(CLOSE, callState, fd, 0, 0, 0, 0, 0);
    }

    /** {@code int pipe2(int pipefd[2], int flags)}. */
    public static int pipe2(MemorySegment callState, MemorySegment fds, int flags) {
        return (int) call(PIPE2, callState, fds.address(), flags, 0, 0, 0, 0);
    }

    /** {@code char *strerror(int errnum)}: the text, NUL-terminated (read it with {@code getString(0)}), or NULL. */
    public static MemorySegment strerror(MemorySegment callState, int errnum) {
        long text = call(STRERROR, callState, errnum, 0, 0, 0, 0, 0);
        return text == 0 ? MemorySegment.NULL : MemorySegment.ofAddress(text).reinterpret(Long.MAX_VALUE);
    }

    // ---- posix_spawn ----

    private static final MemorySegment POSIX_SPAWNP = function("posix_spawnp");
    private static final MemorySegment SPAWN_FILE_ACTIONS_INIT = function("posix_spawn_file_actions_init");
    private static final MemorySegment SPAWN_FILE_ACTIONS_DESTROY = function("posix_spawn_file_actions_destroy");
    private static final MemorySegment SPAWN_FILE_ACTIONS_ADDDUP2 = function("posix_spawn_file_actions_adddup2");
    private static final MemorySegment SPAWN_FILE_ACTIONS_ADDOPEN = function("posix_spawn_file_actions_addopen");
    private static final MemorySegment SPAWN_FILE_ACTIONS_ADDCLOSE = function("posix_spawn_file_actions_addclose");
    private static final MemorySegment SPAWNATTR_INIT = function("posix_spawnattr_init");
    private static final MemorySegment SPAWNATTR_DESTROY = function("posix_spawnattr_destroy");
    private static final MemorySegment SPAWNATTR_SETFLAGS = function("posix_spawnattr_setflags");
    private static final MemorySegment SPAWNATTR_SETSIGMASK = function("posix_spawnattr_setsigmask");
    private static final MemorySegment SPAWNATTR_SETSIGDEFAULT = function("posix_spawnattr_setsigdefault");
    private static final MemorySegment SPAWNATTR_SETPGROUP = function("posix_spawnattr_setpgroup");
    private static final MemorySegment SIGEMPTYSET = function("sigemptyset");
    private static final MemorySegment SIGFILLSET = function("sigfillset");

    /** {@code int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *path)} (2.29+). */
    public static final Optional<MemorySegment> SPAWN_FILE_ACTIONS_ADDCHDIR =
            LOOKUP.find("posix_spawn_file_actions_addchdir_np");

    /** {@code int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int from)} (2.34+). */
    public static final Optional<MemorySegment> SPAWN_FILE_ACTIONS_ADDCLOSEFROM =
            LOOKUP.find("posix_spawn_file_actions_addclosefrom_np");

    /**
     * {@code int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *file_actions,
     * const posix_spawnattr_t *attrp, char *const argv[], char *const envp[])}. Returns 0 or an error number.
     */
    public static int posixSpawnp(MemorySegment callState, MemorySegment pid, MemorySegment file,
                                  MemorySegment fileActions, MemorySegment attr, MemorySegment argv,
                                  MemorySegment envp) {
        return (int) call(POSIX_SPAWNP, callState, pid.address(), file.address(), fileActions.address(),
                attr.address(), argv.address(), envp.address());
    }

    /** {@code int posix_spawn_file_actions_init(posix_spawn_file_actions_t *)}. */
    public static int spawnFileActionsInit(MemorySegment callState, MemorySegment actions) {
        return (int) call(SPAWN_FILE_ACTIONS_INIT, callState, actions.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *)}. */
    public static int spawnFileActionsDestroy(MemorySegment callState, MemorySegment actions) {
        return (int) call(SPAWN_FILE_ACTIONS_DESTROY, callState, actions.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int fd, int newfd)}. */
    public static int spawnFileActionsAddDup2(MemorySegment callState, MemorySegment actions, int fd, int newFd) {
        return (int) call(SPAWN_FILE_ACTIONS_ADDDUP2, callState, actions.address(), fd, newFd, 0, 0, 0);
    }

    /**
     * {@code int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *, int fd, const char *path, int oflag,
     * mode_t mode)}.
     */
    public static int spawnFileActionsAddOpen(MemorySegment callState, MemorySegment actions, int fd,
                                              MemorySegment path, int flags, int mode) {
        return (int) call(SPAWN_FILE_ACTIONS_ADDOPEN, callState, actions.address(), fd, path.address(), flags, mode, 0);
    }

    /** {@code int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *, int fd)}. */
    public static int spawnFileActionsAddClose(MemorySegment callState, MemorySegment actions, int fd) {
        return (int) call(SPAWN_FILE_ACTIONS_ADDCLOSE, callState, actions.address(), fd, 0, 0, 0, 0);
    }

    /**
     * Calls an optional file action of shape {@code int f(posix_spawn_file_actions_t *, <integer or pointer>)}
     * ({@link #SPAWN_FILE_ACTIONS_ADDCHDIR}, {@link #SPAWN_FILE_ACTIONS_ADDCLOSEFROM}); the caller checked it is there.
     */
    public static int invokeFileAction(MemorySegment function, MemorySegment callState, MemorySegment actions,
                                       long argument) {
        return (int) call(function, callState, actions.address(), argument, 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_init(posix_spawnattr_t *)}. */
    public static int spawnattrInit(MemorySegment callState, MemorySegment attr) {
        return (int) call(SPAWNATTR_INIT, callState, attr.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_destroy(posix_spawnattr_t *)}. */
    public static int spawnattrDestroy(MemorySegment callState, MemorySegment attr) {
        return (int) call(SPAWNATTR_DESTROY, callState, attr.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_setflags(posix_spawnattr_t *, short flags)}. */
    public static int spawnattrSetflags(MemorySegment callState, MemorySegment attr, short flags) {
        return (int) call(SPAWNATTR_SETFLAGS, callState, attr.address(), flags, 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_setsigmask(posix_spawnattr_t *, const sigset_t *)}. */
    public static int spawnattrSetsigmask(MemorySegment callState, MemorySegment attr, MemorySegment sigset) {
        return (int) call(SPAWNATTR_SETSIGMASK, callState, attr.address(), sigset.address(), 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_setsigdefault(posix_spawnattr_t *, const sigset_t *)}. */
    public static int spawnattrSetsigdefault(MemorySegment callState, MemorySegment attr, MemorySegment sigset) {
        return (int) call(SPAWNATTR_SETSIGDEFAULT, callState, attr.address(), sigset.address(), 0, 0, 0, 0);
    }

    /** {@code int posix_spawnattr_setpgroup(posix_spawnattr_t *, pid_t pgroup)}. */
    public static int spawnattrSetpgroup(MemorySegment callState, MemorySegment attr, int pgroup) {
        return (int) call(SPAWNATTR_SETPGROUP, callState, attr.address(), pgroup, 0, 0, 0, 0);
    }

    /** {@code int sigemptyset(sigset_t *)}. */
    public static int sigemptyset(MemorySegment callState, MemorySegment set) {
        return (int) call(SIGEMPTYSET, callState, set.address(), 0, 0, 0, 0, 0);
    }

    /** {@code int sigfillset(sigset_t *)}. */
    public static int sigfillset(MemorySegment callState, MemorySegment set) {
        return (int) call(SIGFILLSET, callState, set.address(), 0, 0, 0, 0, 0);
    }

    /** The address of the C {@code environ} array (the process's current environment). */
    public static MemorySegment environ() {
        MemorySegment variable = LOOKUP.find("environ").orElseThrow().reinterpret(ADDRESS.byteSize());
        return variable.get(ADDRESS, 0);
    }
}
