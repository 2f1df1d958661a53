/* stress T N: T threads (at most 64) each execute int3 N times with rax = the thread's index (1..T) and rbx = the
 * iteration (0..N-1); then main exits 0. For the exactly-once, in-order delivery test. */
#include <pthread.h>
#include <stdlib.h>

static long iterations;

static void *body(void *arg) {
    long index = (long) arg;
    for (long i = 0; i < iterations; i++) {
        __asm__ volatile("mov %0, %%rax\n\t"
                         "mov %1, %%rbx\n\t"
                         "int3" : : "r"(index), "r"(i) : "rax", "rbx", "memory");
    }
    return NULL;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 4;
    iterations = argc > 2 ? atol(argv[2]) : 100;
    if (n > 64) n = 64;
    pthread_t t[64];
    for (long i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, body, (void *) (i + 1)) != 0) return 2;
    }
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    return 0;
}
