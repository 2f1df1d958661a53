/* watch: reports &watched (int3, rax), stores 1 then 2 into it, exits with its value (2). */
#include "common.h"

volatile int watched;

int main(void) {
    REPORT(&watched);
    watched = 1;
    watched = 2;
    return watched;
}
