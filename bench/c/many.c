/* Attach target for bench/attach-many: dlopens every .so named on the command line, starts T threads that block,
 * prints "ready" and blocks. Usage: many T LIB.so... */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void *idle(void *p) { (void)p; for (;;) pause(); return 0; }
int main(int argc, char **argv) {
    int t = atoi(argv[1]);
    for (int i = 2; i < argc; i++) {
        if (!dlopen(argv[i], RTLD_NOW)) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    }
    pthread_attr_t a; pthread_attr_init(&a); pthread_attr_setstacksize(&a, 64 * 1024);
    for (int i = 0; i < t; i++) {
        pthread_t th;
        if (pthread_create(&th, &a, idle, 0)) { perror("pthread_create"); return 1; }
    }
    printf("ready\n"); fflush(stdout);
    for (;;) pause();
}
