/* callchain: main -> f -> g, and g stops at an int3. The analysis tests walk the stack there and expect g, f, main
 * and then libc's start-up frames. Compiled three ways by build.sh: -O0 (frame pointers and CFI), -O2
 * -fomit-frame-pointer (CFI only: rbp is an ordinary register), and -O0 without unwind tables (frame pointers only).
 * The volatile locals give g and f stack frames of their own; the "+ 1" after each call keeps the calls from
 * becoming tail jumps. */
#include <stdio.h>

__attribute__((noinline)) int g(int x) {
    volatile int local[24];
    for (int i = 0; i < 24; i++) {
        local[i] = x + i;
    }
    __asm__ volatile("int3" ::: "memory");
    return local[3] + local[17];
}

__attribute__((noinline)) int f(int x) {
    volatile int local[8];
    local[0] = x;
    return g(local[0] * 2) + 1;
}

int main(void) {
    int r = f(5) + 1;
    printf("%d\n", r);
    return r == 55 ? 0 : 1;
}
