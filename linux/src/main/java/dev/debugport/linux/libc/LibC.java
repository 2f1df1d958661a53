package dev.debugport.linux.libc;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Raw FFM bindings to the glibc functions debugport-linux needs (x86-64 Linux, glibc 2.34 or newer). No logic: every
 * binding is a {@link MethodHandle} plus a static method that invokes it with the same C signature.
 *
 * <p><b>errno.</b> Every handle is linked with {@code Linker.Option.captureCallState("errno")}: its first parameter is
 * a capture segment ({@link #allocateCallState}); after the call, {@link #errno(MemorySegment)} reads the errno the
 * function left. The value is only meaningful when the function reported failure (most return -1; {@code posix_spawn*}
 * return the error number instead; {@code PTRACE_PEEK*} can return -1 as data, and glibc's wrapper sets errno to 0
 * when a PEEK succeeds, so -1 with errno 0 is data). A capture segment is not thread-safe: use one per thread.
 *
 * <p><b>Variadic functions.</b> {@code ptrace(enum __ptrace_request, ...)} is linked with
 * {@code firstVariadicArg(1)} and the arguments {@code (pid_t pid, void *addr, void *data)} passed as int, long, long.
 * {@code open(const char *, int, ...)} is linked with {@code firstVariadicArg(2)} and an int mode. The glibc
 * {@code ptrace} wrapper returns {@code PTRACE_PEEK*} data as its result (the raw syscall would store it through
 * {@code data}).
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
    private static final VarHandle ERRNO =
            CALL_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code size_t}, {@code ssize_t}, {@code long} and pointers on x86-64. */
    public static final ValueLayout.OfLong C_LONG = JAVA_LONG;
    /** A {@code char *} whose target is unbounded (used for strerror's result). */
    public static final AddressLayout C_STRING = ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(
            Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

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
     * Links every binding now, if that has not happened yet (the class's initialization: some 30 downcall handles,
     * whose code the FFM linker generates at run time, about 100 ms). A command-line tool calls it on a second
     * thread at start-up so that the linking overlaps its argument parsing.
     */
    public static void link() {
        // Nothing to do: calling a static method initializes the class.
    }

    /** Allocates a call-state segment for the errno capture. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE_LAYOUT);
    }

    /** The errno captured by the last call that used {@code callState}. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static Optional<MethodHandle> bindOptional(String name, FunctionDescriptor descriptor) {
        return LOOKUP.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO));
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

    /** {@code long ptrace(enum __ptrace_request request, pid_t pid, void *addr, void *data)} (variadic after request). */
    public static final MethodHandle PTRACE = bind("ptrace",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    public static long ptrace(MemorySegment callState, int request, int pid, long addr, long data) {
        try {
            return (long) PTRACE.invokeExact(callState, request, pid, addr, data);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    // ---- processes, signals, waiting ----

    /** {@code pid_t waitpid(pid_t pid, int *wstatus, int options)}. */
    public static final MethodHandle WAITPID = bind("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    public static int waitpid(MemorySegment callState, int pid, MemorySegment status, int options) {
        try {
            return (int) WAITPID.invokeExact(callState, pid, status, options);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options)}. */
    public static final MethodHandle WAITID = bind("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    public static int waitid(MemorySegment callState, int idtype, int id, MemorySegment siginfo, int options) {
        try {
            return (int) WAITID.invokeExact(callState, idtype, id, siginfo, options);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int kill(pid_t pid, int sig)}. */
    public static final MethodHandle KILL = bind("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    public static int kill(MemorySegment callState, int pid, int sig) {
        try {
            return (int) KILL.invokeExact(callState, pid, sig);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int tgkill(pid_t tgid, pid_t tid, int sig)} (glibc 2.30+). */
    public static final MethodHandle TGKILL = bind("tgkill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    public static int tgkill(MemorySegment callState, int tgid, int tid, int sig) {
        try {
            return (int) TGKILL.invokeExact(callState, tgid, tid, sig);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code pid_t getpid(void)}. */
    public static final MethodHandle GETPID = bind("getpid", FunctionDescriptor.of(JAVA_INT));

    public static int getpid(MemorySegment callState) {
        try {
            return (int) GETPID.invokeExact(callState);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code pid_t gettid(void)} (glibc 2.30+). */
    public static final MethodHandle GETTID = bind("gettid", FunctionDescriptor.of(JAVA_INT));

    public static int gettid(MemorySegment callState) {
        try {
            return (int) GETTID.invokeExact(callState);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    // ---- cross-process memory ----

    /**
     * {@code ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long liovcnt,
     * const struct iovec *remote, unsigned long riovcnt, unsigned long flags)}.
     */
    public static final MethodHandle PROCESS_VM_READV = bind("process_vm_readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));

    public static long processVmReadv(MemorySegment callState, int pid, MemorySegment local, long localCount,
                                      MemorySegment remote, long remoteCount, long flags) {
        try {
            return (long) PROCESS_VM_READV.invokeExact(callState, pid, local, localCount, remote, remoteCount, flags);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code ssize_t process_vm_writev(...)}, same parameters as {@link #PROCESS_VM_READV}. */
    public static final MethodHandle PROCESS_VM_WRITEV = bind("process_vm_writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));

    public static long processVmWritev(MemorySegment callState, int pid, MemorySegment local, long localCount,
                                       MemorySegment remote, long remoteCount, long flags) {
        try {
            return (long) PROCESS_VM_WRITEV.invokeExact(callState, pid, local, localCount, remote, remoteCount, flags);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    // ---- files (for /proc/pid/mem) and pipes ----

    /** {@code int open(const char *path, int flags, ...)} (variadic mode). */
    public static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));

    public static int open(MemorySegment callState, MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(callState, path, flags, mode);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}. */
    public static final MethodHandle PREAD = bind("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));

    public static long pread(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PREAD.invokeExact(callState, fd, buf, count, offset);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}. */
    public static final MethodHandle PWRITE = bind("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));

    public static long pwrite(MemorySegment callState, int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PWRITE.invokeExact(callState, fd, buf, count, offset);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static final MethodHandle READ = bind("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    public static long read(MemorySegment callState, int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(callState, fd, buf, count);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int close(int fd)}. */
    public static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    public static int close(MemorySegment callState, int fd) {
        try {
            return (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int pipe2(int pipefd[2], int flags)}. */
    public static final MethodHandle PIPE2 = bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    public static int pipe2(MemorySegment callState, MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(callState, fds, flags);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code char *strerror(int errnum)}. */
    public static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(C_STRING, JAVA_INT));

    public static MemorySegment strerror(MemorySegment callState, int errnum) {
        try {
            return (MemorySegment) STRERROR.invokeExact(callState, errnum);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    // ---- posix_spawn ----

    /**
     * {@code int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *file_actions,
     * const posix_spawnattr_t *attrp, char *const argv[], char *const envp[])}. Returns 0 or an error number.
     */
    public static final MethodHandle POSIX_SPAWNP = bind("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    public static int posixSpawnp(MemorySegment callState, MemorySegment pid, MemorySegment file,
                                  MemorySegment fileActions, MemorySegment attr, MemorySegment argv,
                                  MemorySegment envp) {
        try {
            return (int) POSIX_SPAWNP.invokeExact(callState, pid, file, fileActions, attr, argv, envp);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawn_file_actions_init(posix_spawn_file_actions_t *)}. */
    public static final MethodHandle SPAWN_FILE_ACTIONS_INIT = bind("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int spawnFileActionsInit(MemorySegment callState, MemorySegment actions) {
        try {
            return (int) SPAWN_FILE_ACTIONS_INIT.invokeExact(callState, actions);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *)}. */
    public static final MethodHandle SPAWN_FILE_ACTIONS_DESTROY = bind("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int spawnFileActionsDestroy(MemorySegment callState, MemorySegment actions) {
        try {
            return (int) SPAWN_FILE_ACTIONS_DESTROY.invokeExact(callState, actions);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int fd, int newfd)}. */
    public static final MethodHandle SPAWN_FILE_ACTIONS_ADDDUP2 = bind("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    public static int spawnFileActionsAddDup2(MemorySegment callState, MemorySegment actions, int fd, int newFd) {
        try {
            return (int) SPAWN_FILE_ACTIONS_ADDDUP2.invokeExact(callState, actions, fd, newFd);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /**
     * {@code int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *, int fd, const char *path, int oflag,
     * mode_t mode)}.
     */
    public static final MethodHandle SPAWN_FILE_ACTIONS_ADDOPEN = bind("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    public static int spawnFileActionsAddOpen(MemorySegment callState, MemorySegment actions, int fd,
                                              MemorySegment path, int flags, int mode) {
        try {
            return (int) SPAWN_FILE_ACTIONS_ADDOPEN.invokeExact(callState, actions, fd, path, flags, mode);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *, int fd)}. */
    public static final MethodHandle SPAWN_FILE_ACTIONS_ADDCLOSE = bind("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    public static int spawnFileActionsAddClose(MemorySegment callState, MemorySegment actions, int fd) {
        try {
            return (int) SPAWN_FILE_ACTIONS_ADDCLOSE.invokeExact(callState, actions, fd);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *path)} (2.29+). */
    public static final Optional<MethodHandle> SPAWN_FILE_ACTIONS_ADDCHDIR = bindOptional(
            "posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    /** {@code int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int from)} (2.34+). */
    public static final Optional<MethodHandle> SPAWN_FILE_ACTIONS_ADDCLOSEFROM = bindOptional(
            "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /** Invokes an optional binding of shape {@code int f(void *, <arg>)}; the caller checked it is present. */
    public static int invokeFileAction(MethodHandle handle, MemorySegment callState, MemorySegment actions,
                                       Object argument) {
        try {
            return (int) handle.invoke(callState, actions, argument);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_init(posix_spawnattr_t *)}. */
    public static final MethodHandle SPAWNATTR_INIT = bind("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int spawnattrInit(MemorySegment callState, MemorySegment attr) {
        try {
            return (int) SPAWNATTR_INIT.invokeExact(callState, attr);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_destroy(posix_spawnattr_t *)}. */
    public static final MethodHandle SPAWNATTR_DESTROY = bind("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int spawnattrDestroy(MemorySegment callState, MemorySegment attr) {
        try {
            return (int) SPAWNATTR_DESTROY.invokeExact(callState, attr);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_setflags(posix_spawnattr_t *, short flags)}. */
    public static final MethodHandle SPAWNATTR_SETFLAGS = bind("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ValueLayout.JAVA_SHORT));

    public static int spawnattrSetflags(MemorySegment callState, MemorySegment attr, short flags) {
        try {
            return (int) SPAWNATTR_SETFLAGS.invokeExact(callState, attr, flags);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_setsigmask(posix_spawnattr_t *, const sigset_t *)}. */
    public static final MethodHandle SPAWNATTR_SETSIGMASK = bind("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    public static int spawnattrSetsigmask(MemorySegment callState, MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) SPAWNATTR_SETSIGMASK.invokeExact(callState, attr, sigset);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_setsigdefault(posix_spawnattr_t *, const sigset_t *)}. */
    public static final MethodHandle SPAWNATTR_SETSIGDEFAULT = bind("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    public static int spawnattrSetsigdefault(MemorySegment callState, MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) SPAWNATTR_SETSIGDEFAULT.invokeExact(callState, attr, sigset);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int posix_spawnattr_setpgroup(posix_spawnattr_t *, pid_t pgroup)}. */
    public static final MethodHandle SPAWNATTR_SETPGROUP = bind("posix_spawnattr_setpgroup",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    public static int spawnattrSetpgroup(MemorySegment callState, MemorySegment attr, int pgroup) {
        try {
            return (int) SPAWNATTR_SETPGROUP.invokeExact(callState, attr, pgroup);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int sigemptyset(sigset_t *)}. */
    public static final MethodHandle SIGEMPTYSET = bind("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int sigemptyset(MemorySegment callState, MemorySegment set) {
        try {
            return (int) SIGEMPTYSET.invokeExact(callState, set);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** {@code int sigfillset(sigset_t *)}. */
    public static final MethodHandle SIGFILLSET = bind("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    public static int sigfillset(MemorySegment callState, MemorySegment set) {
        try {
            return (int) SIGFILLSET.invokeExact(callState, set);
        } catch (Throwable t) {
            throw invocationFailed(t);
        }
    }

    /** The address of the C {@code environ} array (the process's current environment). */
    public static MemorySegment environ() {
        MemorySegment variable = LOOKUP.find("environ").orElseThrow().reinterpret(ADDRESS.byteSize());
        return variable.get(ADDRESS, 0);
    }
}
