/* handled: installs a SIGSEGV handler that moves rip past the faulting 4-byte store (movl $42, (%rax): c7 00 2a 00
 * 00 00, 6 bytes) and counts; faults twice, exits with the count (2). */
#define _GNU_SOURCE
#include <signal.h>
#include <ucontext.h>
#include "common.h"

static volatile int faults;

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    (void) sig;
    (void) info;
    ucontext_t *uc = ctx;
    uc->uc_mcontext.gregs[REG_RIP] += 6;
    faults++;
}

int main(void) {
    no_core_dumps();
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    for (int i = 0; i < 2; i++) {
        __asm__ volatile("movl $42, (%%rax)" : : "a"(0xdead0000L) : "memory");
    }
    return faults;
}
