/* Shared by the debugport-linux test programs. A program tells the debugger something by executing int3 with the
 * value in rax: the test reads rax at the SIGTRAP stop, then continues with signal 0. */
#ifndef DEBUGPORT_TEST_COMMON_H
#define DEBUGPORT_TEST_COMMON_H
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#define REPORT(value) __asm__ volatile("int3" : : "a"((long)(value)) : "memory")

/* Crashing programs must not leave core files behind. */
static inline void no_core_dumps(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}

/* The TracerPid line of /proc/self/status: non-zero while a debugger traces us (IsDebuggerPresent on Linux). */
static inline int tracer_pid(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int pid = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "TracerPid:", 10) == 0) sscanf(line + 10, "%d", &pid);
    }
    if (f) fclose(f);
    return pid;
}

static volatile sig_atomic_t sigusr1_arrived;

static inline void on_sigusr1(int sig) {
    (void) sig;
    sigusr1_arrived = 1;
}

/* Blocks SIGUSR1 and installs its handler; *sleep_mask receives the mask to sleep with (SIGUSR1 unblocked). */
static inline void catch_sigusr1(sigset_t *sleep_mask) {
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, sleep_mask);
    signal(SIGUSR1, on_sigusr1);
}

/* Sleeps until SIGUSR1 arrives. It stays blocked except inside sigsuspend, so it cannot slip in between the check and
 * the sleep. */
static inline void sleep_until_sigusr1(const sigset_t *sleep_mask) {
    while (!sigusr1_arrived) sigsuspend(sleep_mask);
}
#endif
