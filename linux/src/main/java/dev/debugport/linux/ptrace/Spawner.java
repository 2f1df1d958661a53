package dev.debugport.linux.ptrace;

import dev.debugport.linux.libc.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Starts programs with {@code posix_spawnp} (never {@code ProcessBuilder}: the JDK's reaper thread would wait for
 * the child and steal its ptrace stops).
 *
 * <p>{@link #spawnStopped} is the launch half of "start under the debugger" without fork or PTRACE_TRACEME in the JVM:
 * it spawns {@code /bin/sh -c 'kill -STOP $$; exec "$0" "$@"' PROGRAM ARGS...}, then waits ({@code WUNTRACED}) until
 * the shell has stopped itself. The caller then seizes the pid, sends SIGCONT, and sees the exec of PROGRAM as
 * {@code PTRACE_EVENT_EXEC}. The program is resolved and checked (exists, is a regular file, is executable) before
 * anything is spawned, so the common mistakes come back as ENOENT/EACCES here; an exec that still fails (a bad
 * interpreter line, a missing dynamic loader) makes the shell exit 126 or 127 before the exec event, which the tracer
 * reports as a launch failure. The program receives its resolved path as argv[0].
 */
public final class Spawner {
    private Spawner() {
    }

    /** The shell script of the launch trick: stop, then (after SIGCONT) become the program. */
    public static final String STOP_THEN_EXEC = "kill -STOP $$; exec \"$0\" \"$@\"";

    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;

    /**
     * Finds {@code program} the way {@code execvp} would (a name without '/' is searched in PATH) and checks that it
     * can be executed.
     *
     * @return the absolute path, or ENOENT (not found), EACCES (not executable, or a directory)
     */
    public static SysResult<Path> resolveProgram(String program, SpawnOptions options) {
        if (program == null || program.isEmpty()) {
            return SysResult.err(Errno.ENOENT, "empty program name");
        }
        Path base = options.workingDirectory() != null ? options.workingDirectory() : Path.of("").toAbsolutePath();
        if (program.contains("/")) {
            return check(base.resolve(program).toAbsolutePath().normalize(), program);
        }
        String path = options.environment() != null ? options.environment().get("PATH") : System.getenv("PATH");
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        SysResult<Path> firstDenied = null;
        for (String dir : path.split(":", -1)) {
            Path candidate = base.resolve(dir.isEmpty() ? "." : dir).resolve(program).toAbsolutePath().normalize();
            if (Files.exists(candidate)) {
                SysResult<Path> r = check(candidate, program);
                if (r.isOk()) {
                    return r;
                }
                if (firstDenied == null) {
                    firstDenied = r;
                }
            }
        }
        return firstDenied != null ? firstDenied
                : SysResult.err(Errno.ENOENT, "program not found in PATH: " + program);
    }

    private static SysResult<Path> check(Path p, String program) {
        if (!Files.exists(p)) {
            return SysResult.err(Errno.ENOENT, "program not found: " + program + " (" + p + ")");
        }
        if (Files.isDirectory(p)) {
            return SysResult.err(Errno.EACCES, "program is a directory: " + p);
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            return SysResult.err(Errno.EACCES, "program is not executable: " + p);
        }
        return SysResult.ok(p);
    }

    /** Spawns {@code argv} (argv[0] is the program, resolved as in {@link #resolveProgram}) running; returns its pid. */
    public static SysResult<Integer> spawn(List<String> argv, SpawnOptions options) {
        if (argv.isEmpty()) {
            return SysResult.err(Errno.EINVAL, "empty argv");
        }
        SysResult<Path> program = resolveProgram(argv.getFirst(), options);
        if (!(program instanceof SysResult.Ok<Path>(Path path))) {
            return program.castErr();
        }
        List<String> args = new ArrayList<>(argv);
        return posixSpawn(path.toString(), args, options);
    }

    /**
     * Spawns {@code argv} behind the stop trick and waits until the shell has stopped itself (SIGSTOP). The returned
     * pid is stopped, not traced, and will exec the program after SIGCONT.
     */
    public static SysResult<Integer> spawnStopped(List<String> argv, SpawnOptions options) {
        if (argv.isEmpty()) {
            return SysResult.err(Errno.EINVAL, "empty argv");
        }
        SysResult<Path> program = resolveProgram(argv.getFirst(), options);
        if (!(program instanceof SysResult.Ok<Path>(Path path))) {
            return program.castErr();
        }
        return spawnStopped(path, argv.subList(1, argv.size()), options);
    }

    /**
     * {@link #spawnStopped(List, SpawnOptions)} of a program {@link #resolveProgram} already resolved, with
     * {@code arguments} after argv[0].
     */
    public static SysResult<Integer> spawnStopped(Path program, List<String> arguments, SpawnOptions options) {
        List<String> args = new ArrayList<>();
        args.add("sh");
        args.add("-c");
        args.add(STOP_THEN_EXEC);
        args.add(program.toString());
        args.addAll(arguments);
        String shell = Files.isExecutable(Path.of("/bin/sh")) ? "/bin/sh" : "sh";
        SysResult<Integer> spawned = posixSpawn(shell, args, options);
        if (!(spawned instanceof SysResult.Ok<Integer>(Integer pid))) {
            return spawned;
        }
        while (true) {
            SysResult<Optional<Posix.Waited>> w = Posix.waitpid(pid, Posix.WUNTRACED);
            if (w.failedWith(Errno.EINTR)) {
                continue;
            }
            if (!(w instanceof SysResult.Ok<Optional<Posix.Waited>>(Optional<Posix.Waited> waited))) {
                return w.castErr();
            }
            if (waited.isEmpty()) {
                continue;
            }
            WaitStatus st = waited.get().status();
            if (st instanceof WaitStatus.SignalStopped(int raw, int sig) && sig == Signals.SIGSTOP) {
                return SysResult.ok(pid);
            }
            if (st.isGone()) {
                return SysResult.err(Errno.ECHILD, "launch shell ended before stopping: " + st);
            }
        }
    }

    /** posix_spawnp(file, argv) with the options' file actions and a clean signal state. */
    static SysResult<Integer> posixSpawn(String file, List<String> argv, SpawnOptions options) {
        Scratch s = Scratch.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(LibC.SPAWN_FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(LibC.SPAWNATTR_SIZE, 16);
            int rc = LibC.spawnFileActionsInit(s.state, actions);
            if (rc != 0) {
                return SysResult.err(Errno.of(rc), "posix_spawn_file_actions_init");
            }
            rc = LibC.spawnattrInit(s.state, attr);
            if (rc != 0) {
                LibC.spawnFileActionsDestroy(s.state, actions);
                return SysResult.err(Errno.of(rc), "posix_spawnattr_init");
            }
            try {
                SysResult<Void> prepared = prepare(arena, s, actions, attr, options);
                if (!prepared.isOk()) {
                    return prepared.castErr();
                }
                MemorySegment argvArray = cStringArray(arena, argv);
                MemorySegment envp = options.environment() == null ? LibC.environ()
                        : cStringArray(arena, environmentStrings(options.environment()));
                MemorySegment pidOut = arena.allocate(JAVA_INT);
                rc = LibC.posixSpawnp(s.state, pidOut, arena.allocateFrom(file), actions, attr, argvArray, envp);
                if (rc != 0) {
                    return SysResult.err(Errno.of(rc), "posix_spawnp " + file);
                }
                return SysResult.ok(pidOut.get(JAVA_INT, 0));
            } finally {
                LibC.spawnattrDestroy(s.state, attr);
                LibC.spawnFileActionsDestroy(s.state, actions);
            }
        }
    }

    private static SysResult<Void> prepare(Arena arena, Scratch s, MemorySegment actions, MemorySegment attr,
                                           SpawnOptions options) {
        Stdio[] stdio = {options.stdin(), options.stdout(), options.stderr()};
        for (int fd = 0; fd < 3; fd++) {
            int rc = switch (stdio[fd]) {
                case Stdio.Inherit i -> 0;
                case Stdio.Null n -> LibC.spawnFileActionsAddOpen(s.state, actions, fd,
                        arena.allocateFrom("/dev/null"), O_RDWR, 0);
                case Stdio.File(Path path, boolean append) -> LibC.spawnFileActionsAddOpen(s.state, actions, fd,
                        arena.allocateFrom(path.toAbsolutePath().toString()),
                        fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
                case Stdio.Fd(int from) -> LibC.spawnFileActionsAddDup2(s.state, actions, from, fd);
            };
            if (rc != 0) {
                return SysResult.err(Errno.of(rc), "posix_spawn_file_actions for fd " + fd);
            }
        }
        if (options.closeOtherFds() && LibC.SPAWN_FILE_ACTIONS_ADDCLOSEFROM.isPresent()) {
            int rc = LibC.invokeFileAction(LibC.SPAWN_FILE_ACTIONS_ADDCLOSEFROM.get(), s.state, actions, 3);
            if (rc != 0) {
                return SysResult.err(Errno.of(rc), "posix_spawn_file_actions_addclosefrom_np");
            }
        }
        if (options.workingDirectory() != null) {
            if (LibC.SPAWN_FILE_ACTIONS_ADDCHDIR.isEmpty()) {
                return SysResult.err(Errno.ENOSYS, "posix_spawn_file_actions_addchdir_np is not available");
            }
            int rc = LibC.invokeFileAction(LibC.SPAWN_FILE_ACTIONS_ADDCHDIR.get(), s.state, actions,
                    arena.allocateFrom(options.workingDirectory().toAbsolutePath().toString()).address());
            if (rc != 0) {
                return SysResult.err(Errno.of(rc), "posix_spawn_file_actions_addchdir_np");
            }
        }
        // The JVM's threads block and handle signals their own way; the program starts with none blocked and every
        // disposition at its default. The default set is filled by hand: glibc's sigfillset leaves out its two
        // internal signals (32, 33), which posix_spawn would then leave ignored (SIG_IGN survives exec).
        MemorySegment empty = arena.allocate(LibC.SIGSET_SIZE, 8);
        MemorySegment all = arena.allocate(LibC.SIGSET_SIZE, 8);
        LibC.sigemptyset(s.state, empty);
        all.fill((byte) 0xff);
        short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                | (options.newProcessGroup() ? POSIX_SPAWN_SETPGROUP : 0));
        int rc = LibC.spawnattrSetsigmask(s.state, attr, empty);
        if (rc == 0) {
            rc = LibC.spawnattrSetsigdefault(s.state, attr, all);
        }
        if (rc == 0 && options.newProcessGroup()) {
            rc = LibC.spawnattrSetpgroup(s.state, attr, 0);
        }
        if (rc == 0) {
            rc = LibC.spawnattrSetflags(s.state, attr, flags);
        }
        return rc == 0 ? SysResult.ok() : SysResult.err(Errno.of(rc), "posix_spawnattr");
    }

    private static List<String> environmentStrings(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }
}
