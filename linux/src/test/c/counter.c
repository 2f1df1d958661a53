/* counter: a second thread increments a global counter forever; main reports &counter (int3, rax), then reports
 * again (rax = 2) after the debugger continued, then exits 0 once the counter moved on. For "the other threads make
 * no progress while an event is out". */
#include <pthread.h>
#include "common.h"

static volatile long counter;

static void *spin(void *arg) {
    for (;;) counter++;
    return arg;
}

int main(void) {
    pthread_t t;
    if (pthread_create(&t, 0, spin, 0) != 0) return 2;
    while (counter < 1000) { }
    REPORT(&counter);
    long seen = counter;
    while (counter == seen) { }
    REPORT(2);
    return 0;
}
