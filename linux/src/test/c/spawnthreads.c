/* spawnthreads: keeps creating short-lived threads forever (at most 16 alive at once). Prints "ready" on stdout once
 * the first 32 threads were created. For attach tests: the thread set never stops changing by itself. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static int alive;

static void *body(void *arg) {
    for (int i = 0; i < 1000; i++) sched_yield();
    __atomic_sub_fetch(&alive, 1, __ATOMIC_SEQ_CST);
    return arg;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (long created = 0;; created++) {
        while (__atomic_load_n(&alive, __ATOMIC_SEQ_CST) >= 16) sched_yield();
        __atomic_add_fetch(&alive, 1, __ATOMIC_SEQ_CST);
        pthread_t t;
        if (pthread_create(&t, &attr, body, NULL) != 0) __atomic_sub_fetch(&alive, 1, __ATOMIC_SEQ_CST);
        if (created == 32) {
            printf("ready\n");
            fflush(stdout);
        }
    }
}
