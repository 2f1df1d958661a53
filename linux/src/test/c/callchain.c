/* The interactive debugger's test program: main -> f -> g, with a global g writes and a string.
 * callchain        calls f once and exits 0
 * callchain spin   calls f forever (a target to break into with Ctrl-C) */
#include <stdio.h>
#include <string.h>

volatile long counter;
char message[] = "hello from callchain";

__attribute__((noinline)) long g(long x) {
    counter += x;
    return counter * 2;
}

__attribute__((noinline)) long f(long x) {
    long r = g(x + 1);
    return r + 1;
}

int main(int argc, char **argv) {
    int spin = argc > 1 && strcmp(argv[1], "spin") == 0;
    do {
        f(41);
    } while (spin);
    printf("callchain done: %ld\n", counter);
    return 0;
}
