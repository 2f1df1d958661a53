/* Debuggee for bench/int3-loop: executes int3 N times; after each one the code just continues. */
#include <stdlib.h>
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("int3\n\tnop" ::: "memory");
    }
    return 0;
}
