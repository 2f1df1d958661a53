/* sleeper: installs a SIGUSR1 handler, reports 1 (int3, rax), then sleeps until SIGUSR1 arrives and exits 0.
 * SIGUSR1 stays blocked except inside sigsuspend, so a signal can never slip in between the check and the sleep. */
#include <signal.h>
#include "common.h"

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
    REPORT(1);
    while (!woken) sigsuspend(&others);
    return 0;
}
