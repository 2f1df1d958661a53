/* waiter: installs a SIGUSR1 handler, prints "ready" on stdout, then sleeps until SIGUSR1 arrives and exits 0. For
 * attach tests (no int3: it runs untraced until a debugger attaches). */
#include "common.h"

int main(void) {
    sigset_t sleep_mask;
    catch_sigusr1(&sleep_mask);
    printf("ready\n");
    fflush(stdout);
    sleep_until_sigusr1(&sleep_mask);
    return 0;
}
