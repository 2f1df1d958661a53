/* Shared by the debugport-linux test programs. A program tells the debugger something by executing int3 with the
 * value in rax: the test reads rax at the SIGTRAP stop, then continues with signal 0. */
#ifndef DEBUGPORT_TEST_COMMON_H
#define DEBUGPORT_TEST_COMMON_H
#include <sys/resource.h>

#define REPORT(value) __asm__ volatile("int3" : : "a"((long)(value)) : "memory")

/* Crashing programs must not leave core files behind. */
static inline void no_core_dumps(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
}
#endif
