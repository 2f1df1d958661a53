/* forkwait: installs a SIGUSR1 handler, prints "ready", sleeps until SIGUSR1 arrives, then forks a child that exits
 * 5 if it is traced (TracerPid set) and 4 if not; exits with the child's exit code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t woken;

static void on_usr1(int sig) {
    (void) sig;
    woken = 1;
}

static int traced(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int pid = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "TracerPid:", 10) == 0) sscanf(line + 10, "%d", &pid);
    }
    if (f) fclose(f);
    return pid != 0;
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
    pid_t child = fork();
    if (child < 0) return 3;
    if (child == 0) _exit(traced() ? 5 : 4);
    int status;
    if (waitpid(child, &status, 0) != child) return 6;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
