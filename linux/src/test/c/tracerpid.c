/* tracerpid: prints "ready" on stdout, then, for every line read on stdin, prints its TracerPid (what
 * IsDebuggerPresent means on Linux); exits 0 at end of input. */
#include "common.h"

int main(void) {
    char line[64];
    printf("ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        printf("%d\n", tracer_pid());
        fflush(stdout);
    }
    return 0;
}
