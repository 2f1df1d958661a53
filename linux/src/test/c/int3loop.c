/* int3loop N: executes int3 N times (rax = the int3's address, rbx = the iteration), then exits 0. */
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 3;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("lea 0f(%%rip), %%rax\n\t"
                         "mov %0, %%rbx\n"
                         "0:\tint3\n\t"
                         "nop" : : "r"(i) : "rax", "rbx", "memory");
    }
    return 0;
}
