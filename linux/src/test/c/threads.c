/* threads N [block]: starts N threads. Without "block" the threads return at once, main joins them and exits 0.
 * With "block" every thread and main wait forever, after main prints "ready" on stdout (for attach tests). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int block;

static void *body(void *arg) {
    while (block) {
        pause();
    }
    return arg;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 3;
    block = argc > 2 && strcmp(argv[2], "block") == 0;
    pthread_t t[64];
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, body, NULL) != 0) return 2;
    }
    if (block) {
        printf("ready\n");
        fflush(stdout);
        for (;;) pause();
    }
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    return 0;
}
