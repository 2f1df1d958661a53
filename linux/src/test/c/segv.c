/* segv [handler]: stores to 0xdead0000 (rax) and, if the debugger moves rip to rbx (just past the store), exits 7.
 * With "handler", a SIGSEGV handler exits 3. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

static void on_segv(int sig) {
    (void) sig;
    _exit(3);
}

int main(int argc, char **argv) {
    no_core_dumps();
    if (argc > 1 && strcmp(argv[1], "handler") == 0) signal(SIGSEGV, on_segv);
    __asm__ volatile("lea 1f(%%rip), %%rbx\n\t"
                     "movl $42, (%%rax)\n"
                     "1:" : : "a"(0xdead0000L) : "rbx", "memory");
    return 7;
}
