/* forkwait: installs a SIGUSR1 handler, prints "ready", sleeps until SIGUSR1 arrives, then forks a child that exits
 * 5 if it is traced (TracerPid set) and 4 if not; exits with the child's exit code. */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    sigset_t sleep_mask;
    catch_sigusr1(&sleep_mask);
    printf("ready\n");
    fflush(stdout);
    sleep_until_sigusr1(&sleep_mask);
    pid_t child = fork();
    if (child < 0) return 3;
    if (child == 0) _exit(tracer_pid() != 0 ? 5 : 4);
    int status;
    if (waitpid(child, &status, 0) != child) return 6;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
