/* zombie: forks a child that exits at once and never reaps it, so the child stays a zombie (a process whose
 * rundown is gone); prints the child's pid and "ready" on stdout, then waits forever. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    pid_t child = fork();
    if (child < 0) return 2;
    if (child == 0) _exit(7);
    printf("%d\nready\n", (int) child);
    fflush(stdout);
    for (;;) pause();
}
