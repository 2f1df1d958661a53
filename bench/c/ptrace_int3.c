/* Reference debugger for bench/int3-loop: fork + PTRACE_TRACEME + exec, then waitpid / PTRACE_CONT, suppressing
 * every SIGTRAP (other signals are passed). Prints "RESULT ns=... traps=...", timed from fork to the exit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(int argc, char **argv) {
    long long t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[1], argv + 1);
        _exit(127);
    }
    long traps = 0; int st;
    for (;;) {
        if (waitpid(pid, &st, 0) < 0) { perror("waitpid"); return 2; }
        if (WIFEXITED(st) || WIFSIGNALED(st)) break;
        int sig = WSTOPSIG(st);
        if (sig == SIGTRAP) { traps++; sig = 0; }
        ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
    }
    long long t1 = now();
    printf("RESULT ns=%lld breakpoints=%ld exit=%d\n", t1 - t0, traps - 1 /* the exec stop */, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    return 0;
}
