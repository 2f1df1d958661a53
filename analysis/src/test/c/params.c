/* The kp test program: main -> outer -> middle -> inner. inner's parameters cover the C types kp prints (int,
 * a typedef of unsigned int, char, a const pointer, a struct passed by value, a double, a bool); it stops itself with
 * an int3 once its prologue has stored them, so every frame's parameters are in place. */
#include <stdbool.h>
#include <stdio.h>

struct point {
    long x;
    long y;
    long z;
};

typedef unsigned int count_t;

volatile long sink;

__attribute__((noinline)) long inner(int n, count_t u, char c, const char *s, struct point p, double d, bool flag) {
    __asm__ volatile("int3");
    sink = n + (long)u + c + s[0] + p.x + p.y + p.z + (long)d + flag;
    return sink;
}

__attribute__((noinline)) long middle(unsigned long long big, short neg, const volatile long *where) {
    struct point p = {1, 2, 3};
    return inner(-5, 7, 'A', "text", p, 2.5, true) + (long)big + neg + *where;
}

__attribute__((noinline)) long outer(int argc) {
    return middle(0x123456789ULL, -2, &sink) + argc;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("params done: %ld\n", outer(argc));
    return 0;
}
