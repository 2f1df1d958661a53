/* forkstorm N: forks N children one after another; each child exits 4 at once. The parent reaps each and exits 0
 * when every child ended with exit code 4, else 1 (a child killed by a stray SIGTRAP or left stopped would show
 * here, or hang the parent). For closing the debug object while the debuggee creates children. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100;
    int bad = 0;
    for (int i = 0; i < n; i++) {
        pid_t child = fork();
        if (child < 0) return 2;
        if (child == 0) _exit(4);
        int status;
        if (waitpid(child, &status, 0) != child) return 3;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 4) bad++;
    }
    return bad == 0 ? 0 : 1;
}
