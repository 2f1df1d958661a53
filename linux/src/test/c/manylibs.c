/* manylibs DIR N: dlopens DIR/lib000.so .. DIR/lib(N-1).so (distinct files, so distinct loader entries), prints
 * "ready" on stdout, then waits forever (for attach tests about the loader list). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int n = atoi(argv[2]);
    char path[4096];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/lib%03d.so", argv[1], i);
        if (dlopen(path, RTLD_NOW | RTLD_LOCAL) == NULL) {
            fprintf(stderr, "manylibs: %s\n", dlerror());
            return 3;
        }
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}
