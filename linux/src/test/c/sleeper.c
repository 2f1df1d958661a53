/* sleeper: installs a SIGUSR1 handler, reports 1 (int3, rax), then sleeps until SIGUSR1 arrives and exits 0.
 * SIGUSR1 stays blocked except inside sigsuspend, so a signal can never slip in between the check and the sleep. */
#include "common.h"

int main(void) {
    sigset_t sleep_mask;
    catch_sigusr1(&sleep_mask);
    REPORT(1);
    sleep_until_sigusr1(&sleep_mask);
    return 0;
}
