/* divzero: integer division by zero (SIGFPE, FPE_INTDIV). */
#include "common.h"

int main(void) {
    no_core_dumps();
    volatile int zero = 0;
    return 10 / zero;
}
