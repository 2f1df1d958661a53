/* kdserve: the program the kernel-debugger tests serve (debugport serve --kd ... -- kdserve FILE). It writes the
 * addresses of call_site (whose first instruction is a call), of tick and of the flag to FILE, then goes through
 * call_site until the debugger sets the flag, raises a hard-coded breakpoint (no user-mode debugger and no SIGTRAP
 * handler: only the kernel debugger sees it) and exits with status 7. */
#include <stdio.h>
#include <unistd.h>

volatile long ticks;
volatile long stop_flag;

__attribute__((noinline, used)) void tick(void) {
    ticks++;
}

/* call tick; ret: a debugger's step over (p) stops after the call, a trace (t) inside tick. */
__attribute__((naked, noinline)) void call_site(void) {
    __asm__ volatile("call tick\n\tret");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: kdserve FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (f == NULL) {
        return 3;
    }
    fprintf(f, "%lx %lx %lx\n", (unsigned long)&call_site, (unsigned long)&tick, (unsigned long)&stop_flag);
    fclose(f);
    while (!stop_flag) {
        call_site();
        usleep(1000);
    }
    __asm__ volatile("int3");
    return 7;
}
