/* illegal: executes ud2 (SIGILL). */
#include "common.h"

int main(void) {
    no_core_dumps();
    __asm__ volatile("ud2");
    return 0;
}
