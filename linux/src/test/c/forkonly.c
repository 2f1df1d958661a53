/* forkonly: forks; the child reports 1 (int3, rax) if it is traced, then exits 4; the parent waits and exits with
 * the child's exit code (or 100 + its killing signal). The child's int3 is only executed when TracerPid says it is
 * debugged, so an undebugged child does not die of SIGTRAP. */
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(void) {
    pid_t child = fork();
    if (child < 0) return 3;
    if (child == 0) {
        if (tracer_pid() != 0) REPORT(1);
        _exit(4);
    }
    int status;
    if (waitpid(child, &status, 0) != child) return 5;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
