/* Reference debugger for bench/breakpoint-loop: plants 0xCC at ADDR after the exec stop; on each hit restores the
 * byte, rewinds rip, PTRACE_SINGLESTEP, re-inserts the 0xCC, PTRACE_CONT. Usage: ptrace_bp ADDR PROGRAM ARGS... */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(int argc, char **argv) {
    unsigned long addr = strtoul(argv[1], 0, 16);
    long long t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0); /* the exec SIGTRAP */
    long orig = ptrace(PTRACE_PEEKTEXT, pid, (void *)addr, 0);
    long with_cc = (orig & ~0xFFL) | 0xCC;
    ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)with_cc);
    ptrace(PTRACE_CONT, pid, 0, 0);
    long hits = 0;
    for (;;) {
        if (waitpid(pid, &st, 0) < 0) { perror("waitpid"); return 2; }
        if (WIFEXITED(st) || WIFSIGNALED(st)) break;
        int sig = WSTOPSIG(st);
        if (sig != SIGTRAP) { ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig); continue; }
        struct user_regs_struct r;
        ptrace(PTRACE_GETREGS, pid, 0, &r);
        if (r.rip - 1 != addr) { ptrace(PTRACE_CONT, pid, 0, 0); continue; }
        hits++;
        ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)orig);
        r.rip = addr;
        ptrace(PTRACE_SETREGS, pid, 0, &r);
        ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
        waitpid(pid, &st, 0);
        if (!WIFSTOPPED(st)) break;
        ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)with_cc);
        ptrace(PTRACE_CONT, pid, 0, 0);
    }
    long long t1 = now();
    printf("RESULT ns=%lld hits=%ld exit=%d\n", t1 - t0, hits, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    return 0;
}
