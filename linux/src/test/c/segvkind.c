/* segvkind r|w|x|n: faults reading, writing or executing at 0xdead0000, or (n) writing into read-only memory (a page
 * of its own text). */
#include <string.h>
#include "common.h"

int main(int argc, char **argv) {
    no_core_dumps();
    volatile long *p = (volatile long *) 0xdead0000L;
    if (argc < 2) return 2;
    if (strcmp(argv[1], "r") == 0) return (int) *p;
    if (strcmp(argv[1], "w") == 0) *p = 1;
    if (strcmp(argv[1], "x") == 0) ((void (*)(void)) p)();
    if (strcmp(argv[1], "n") == 0) *(volatile char *) main = 0;
    return 0;
}
