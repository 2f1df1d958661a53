/* waiter: installs a SIGUSR1 handler, prints "ready" on stdout, then sleeps until SIGUSR1 arrives and exits 0. For
 * attach tests (no int3: it runs untraced until a debugger attaches). */
#include <signal.h>
#include <stdio.h>

static volatile sig_atomic_t woken;

static void on_usr1(int sig) {
    (void) sig;
    woken = 1;
}

int main(void) {
    sigset_t usr1, others;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &others);
    signal(SIGUSR1, on_usr1);
    printf("ready\n");
    fflush(stdout);
    while (!woken) sigsuspend(&others);
    return 0;
}
