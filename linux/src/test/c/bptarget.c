/* bptarget: reports the address of target() (int3, rax), then exits with target(3) == 5. The test plants a
 * breakpoint in target's read-only text. */
#include "common.h"

__attribute__((noinline)) int target(int x) {
    return x + 2;
}

int main(void) {
    REPORT(&target);
    return target(3);
}
