/* Debuggee for bench/breakpoint-loop: calls f N times (built -no-pie so f has a fixed address). */
#include <stdlib.h>
volatile long counter;
__attribute__((noinline, used)) void f(void) { counter++; }
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000;
    for (long i = 0; i < n; i++) {
        f();
    }
    return counter == n ? 0 : 1;
}
