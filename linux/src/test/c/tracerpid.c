/* tracerpid: prints "ready" on stdout, then, for every line read on stdin, prints its TracerPid (what
 * IsDebuggerPresent means on Linux); exits 0 at end of input. */
#include <stdio.h>
#include <string.h>

static int tracer(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int pid = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "TracerPid:", 10) == 0) sscanf(line + 10, "%d", &pid);
    }
    if (f) fclose(f);
    return pid;
}

int main(void) {
    char line[64];
    printf("ready\n");
    fflush(stdout);
    while (fgets(line, sizeof line, stdin)) {
        printf("%d\n", tracer());
        fflush(stdout);
    }
    return 0;
}
